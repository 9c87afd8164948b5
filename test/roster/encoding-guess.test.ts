import { describe, expect, it } from 'vitest';
import { guessEncoding, guessFor, notUtf8Hint } from '../../src/roster/encoding-guess.js';
import { encodeSingleByte } from '../encode.js';

const roster = (names: string[]): string =>
  'room;user_name;user_id;email\n' + names.map((n, i) => `lobby;${n};${i};p${i}@example.com`).join('\n') + '\n';

describe('the encoding a roster that is not UTF-8 most likely has', () => {
  it.each([
    ['German names', ['Jürgen Müller', 'Anna Schmidt', 'Björn Weiß', 'Zoë Smith'], 'windows-1252'],
    ['French names', ['François Dupont', 'Hélène Martin'], 'windows-1252'],
    ['one accented name among plain ones', ['Renée Fox', 'Ada Lovelace', 'Alan Turing'], 'windows-1252'],
    ['a single row', ['José'], 'windows-1252'],
    ['Portuguese', ['Conceição Araújo'], 'windows-1252'],
    ['a euro sign beside a name', ['€ 5 Müller'], 'windows-1252'],
    ['Polish names', ['Łukasz Żółć', 'Małgorzata Wiśniewska', 'Jan Kowalski'], 'windows-1250'],
    ['Russian names', ['Александр Пушкин', 'Мария Иванова', 'Ivan Petrov'], 'windows-1251'],
  ])('%s: %s', (_, names, encoding) => {
    expect(guessEncoding(encodeSingleByte(roster(names), encoding))?.encoding).toBe(encoding);
  });

  it('bytes that read as no words in any candidate: no guess, and a hint that says what to do', () => {
    expect(guessEncoding(Buffer.from([0x61, 0x2c, 0x85, 0x99, 0x0a]))).toBeUndefined();
    expect(notUtf8Hint(undefined)).toBe('save the roster as UTF-8, or set encoding: to the one it was saved in');
    expect(notUtf8Hint({ encoding: 'windows-1252', title: 'Windows-1252' })).toBe('looks like Windows-1252; set encoding: windows-1252');
  });
});

describe('the encoding guess in a roster that is mostly UTF-8', () => {
  it('reads only the bytes that are not UTF-8: valid accented letters and U+FFFD around them do not count against a code page', () => {
    const bytes = Buffer.concat([
      Buffer.from('room,name\ndemo,Zoë \uFFFD \uFFFD \uFFFD\ndemo,B'),
      Buffer.from([0xf6]),
      Buffer.from('rn\n'),
    ]);
    expect(guessEncoding(bytes)?.encoding).toBe('windows-1252');
    // Valid UTF-8 beside it is read as a plain letter: the lead byte of "ש" alone is "×" in Windows-1252 and 1250.
    const mostly = Buffer.concat([Buffer.from('Dvש Dvש Dvש '), Buffer.from([0x4a, 0xfc]), Buffer.from('rgen')]);
    expect(guessEncoding(mostly)?.encoding).toBe('windows-1252');
  });

  it('counts a word of two characters, and leaves words without Cyrillic letters out of the Cyrillic score', () => {
    expect(guessEncoding(Buffer.from([0x4a, 0xfc]))?.encoding).toBe('windows-1252');
    // "Иван 20°C 30°C" in Windows-1251: the degree signs are no Cyrillic word.
    const ivan = Buffer.from([0xc8, 0xe2, 0xe0, 0xed, 0x20, 0x32, 0x30, 0xb0, 0x43, 0x20, 0x33, 0x30, 0xb0, 0x43]);
    expect(guessEncoding(ivan)?.encoding).toBe('windows-1251');
  });

  it('names each candidate by its title, and any other encoding by its name', () => {
    expect(guessFor('windows-1251')).toEqual({ encoding: 'windows-1251', title: 'Windows-1251' });
    expect(guessFor('windows-1250')).toEqual({ encoding: 'windows-1250', title: 'Windows-1250' });
    expect(guessFor('iso-8859-15')).toEqual({ encoding: 'iso-8859-15', title: 'iso-8859-15' });
  });
});
