import { describe, expect, it } from 'vitest';
import { PROFILE_NAMES, PROFILES } from '../../src/output/profiles.js';
import { cellLimitProblem, checkHeaderNames } from '../../src/output/profile-rules.js';

const URL_418 = 'https://acme.daily.co/demo?t=' + 'e'.repeat(418 - 29);
const { generic, spreadsheet, mailchimp, sendgrid, ses, postmark, hubspot, braze } = PROFILES;
const mailers = [mailchimp, sendgrid, ses, postmark, hubspot, braze];

describe('output profiles: file shape', () => {
  it("generic keeps today's file: formula escaping, no BOM, LF, no limits, today's columns", () => {
    expect(generic).toMatchObject({ escapeFormulas: true, bom: false, lineEnding: '\n', emailRequired: false });
    expect(generic.uniqueBy).toBeUndefined();
    expect(generic.cellLimit).toBeUndefined();
    expect(generic.columns).toBeUndefined();
    expect(cellLimitProblem(generic, 'join_url', 'x'.repeat(100_000))).toBeNull();
  });

  it('spreadsheet escapes formulas and writes a BOM and CRLF for Excel', () => {
    expect(spreadsheet).toMatchObject({ escapeFormulas: true, bom: true, lineEnding: '\r\n', file: { maxRows: 1_048_576 } });
  });

  it('mailer profiles write data for a mail merge: no formula escaping, no BOM, and they need an email column', () => {
    for (const profile of mailers) {
      expect(profile, profile.name).toMatchObject({ escapeFormulas: false, bom: false, emailRequired: true });
      expect(profile.columns?.['join_url'], profile.name).toBeDefined();
    }
    // Contact imports key on the email address (Braze on external_id); Postmark sends each row.
    expect(Object.fromEntries(mailers.map((p) => [p.name, p.uniqueBy]))).toEqual({
      mailchimp: 'email',
      sendgrid: 'email',
      ses: 'email',
      postmark: undefined,
      hubspot: 'email',
      braze: 'user_id',
    });
  });

  it("every profile's own columns pass its own header rule", () => {
    for (const name of PROFILE_NAMES) {
      const profile = PROFILES[name];
      expect(checkHeaderNames(profile, Object.values(profile.columns ?? { email: 'email', join_url: 'join_url' })), name).toEqual([]);
    }
  });

  it('API batch sizes and file limits as the mailers document them', () => {
    expect([mailchimp.apiBatch, sendgrid.apiBatch, ses.apiBatch, postmark.apiBatch]).toEqual([500, 1000, 50, 500]);
    expect(sendgrid.file).toEqual({ maxRows: 1_000_001, maxBytes: 5e9 });
    expect(hubspot.file).toEqual({ maxRows: 1_048_576, maxBytes: 512e6 });
    expect(braze.file).toEqual({ maxBytes: 500e6 });
  });

  it("merge tags in each mailer's syntax", () => {
    expect(mailchimp.mergeTag('JOINURL')).toBe('*|JOINURL|*');
    expect(sendgrid.mergeTag('join_url')).toBe('{{{join_url}}}');
    expect(hubspot.mergeTag('join_url')).toBe('{{ contact.join_url }}');
    expect(braze.mergeTag('join_url')).toBe('{{custom_attribute.${join_url}}}');
  });
});

describe('output profiles: cell length limits', () => {
  it('Mailchimp counts bytes: 255 pass, 256 are rejected, multi-byte characters count by their bytes', () => {
    expect(cellLimitProblem(mailchimp, 'FNAME', 'a'.repeat(255))).toBeNull();
    expect(cellLimitProblem(mailchimp, 'FNAME', 'a'.repeat(256))).toBe('FNAME: 256 bytes, Mailchimp keeps 255; shorten it in the roster');
    expect(cellLimitProblem(mailchimp, 'FNAME', 'é'.repeat(127) + 'a')).toBeNull();
    expect(cellLimitProblem(mailchimp, 'FNAME', 'é'.repeat(128))).toBe('FNAME: 256 bytes, Mailchimp keeps 255; shorten it in the roster');
    expect(cellLimitProblem(mailchimp, 'FNAME', '🎉'.repeat(63) + 'abc')).toBeNull();
    expect(cellLimitProblem(mailchimp, 'FNAME', '🎉'.repeat(64))).toMatch(/^FNAME: 256 bytes,/);
  });

  it('names the column, the length, the limit and short links as the remedy for a long join link', () => {
    expect(cellLimitProblem(mailchimp, 'JOINURL', URL_418)).toBe('JOINURL: 418 bytes, Mailchimp keeps 255; use short links (links:)');
    expect(cellLimitProblem(braze, 'join_url', URL_418)).toBe('join_url: 418 characters, Braze allows 255; use short links (links:)');
  });

  it('Braze counts characters: 255 emoji pass (1,020 bytes), 256 characters are rejected', () => {
    expect(cellLimitProblem(braze, 'first_name', '🎉'.repeat(255))).toBeNull();
    expect(cellLimitProblem(braze, 'first_name', 'é'.repeat(256))).toBe(
      'first_name: 256 characters, Braze allows 255; shorten it in the roster',
    );
  });

  it('Excel keeps 32,767 characters a cell', () => {
    expect(cellLimitProblem(spreadsheet, 'note', 'é'.repeat(32_767))).toBeNull();
    expect(cellLimitProblem(spreadsheet, 'note', 'a'.repeat(32_768))).toBe(
      'note: 32768 characters, Excel keeps 32767; shorten it in the roster',
    );
  });

  it('SendGrid, SES, Postmark and HubSpot set no cell limit a join link meets', () => {
    for (const profile of [sendgrid, ses, postmark, hubspot])
      expect(cellLimitProblem(profile, 'join_url', URL_418), profile.name).toBeNull();
  });
});

describe('output profiles: header names', () => {
  it('Mailchimp: upper case, digits and _, at most 10 characters, and an EMAIL column', () => {
    expect(checkHeaderNames(mailchimp, ['EMAIL', 'JOINURL', 'JOINURL_10'])).toEqual([]);
    expect(checkHeaderNames(mailchimp, ['EMAIL', 'join_url', 'JOINURL_100', 'JOIN-URL'])).toEqual([
      'column 2 ("join_url"): Mailchimp merge tags are 1 to 10 characters: upper-case letters, digits and _ (e.g. JOINURL)',
      'column 3 ("JOINURL_100"): Mailchimp merge tags are 1 to 10 characters: upper-case letters, digits and _ (e.g. JOINURL)',
      'column 4 ("JOIN-URL"): Mailchimp merge tags are 1 to 10 characters: upper-case letters, digits and _ (e.g. JOINURL)',
    ]);
    expect(checkHeaderNames(mailchimp, ['FNAME', 'JOINURL'])).toEqual([
      "no EMAIL column: Mailchimp needs the recipient's email address; map the roster's email column to EMAIL in columns:",
    ]);
    expect(checkHeaderNames(mailchimp, ['MAIL', 'JOINURL'], 'MAIL')).toEqual([]);
    expect(checkHeaderNames(mailchimp, ['EMAIL', 'JOINURL', 'JOINURL'])).toEqual(['columns 2 and 3 are both "JOINURL"']);
  });

  it('SendGrid: letters, digits and _, not starting with a digit, at most 100 characters, unique without case, at most 500', () => {
    expect(checkHeaderNames(sendgrid, ['email', '_x', 'a'.repeat(100)])).toEqual([]);
    expect(checkHeaderNames(sendgrid, ['email', '1st', 'join-url', 'a'.repeat(101)]).map((p) => p.slice(0, 12))).toEqual([
      'column 2 ("1',
      'column 3 ("j',
      'column 4 ("a',
    ]);
    expect(checkHeaderNames(sendgrid, ['email', 'Email'])).toEqual(['columns 1 and 2 ("email", "Email") are one name to SendGrid']);
    const many = ['email', ...Array.from({ length: 500 }, (_, i) => `f${i}`)];
    expect(checkHeaderNames(sendgrid, many)).toEqual(['501 columns, SendGrid takes at most 500']);
    expect(checkHeaderNames(sendgrid, many.slice(0, 500))).toEqual([]);
  });

  it('SES and Postmark: identifiers, where case makes two names', () => {
    for (const profile of [ses, postmark]) {
      expect(checkHeaderNames(profile, ['email', 'name', 'Name']), profile.name).toEqual([]);
      expect(checkHeaderNames(profile, ['email', 'join url']), profile.name).toHaveLength(1);
      expect(checkHeaderNames(profile, ['join_url']), profile.name).toEqual([
        `no email column: ${profile.label} needs the recipient's email address; map the roster's email column to email in columns:`,
      ]);
    }
  });

  it('HubSpot: human headers, fewer than 1,000 columns, no surrounding spaces', () => {
    expect(checkHeaderNames(hubspot, ['Email', 'First Name', 'join_url'])).toEqual([]);
    expect(checkHeaderNames(hubspot, ['Email', ' First Name'])).toEqual([
      'column 2 (" First Name"): a name that is not empty and does not start or end with a space',
    ]);
    const columns = ['Email', ...Array.from({ length: 998 }, (_, i) => `p${i}`)];
    expect(checkHeaderNames(hubspot, columns)).toEqual([]);
    expect(checkHeaderNames(hubspot, [...columns, 'one more'])).toEqual(['1000 columns, HubSpot takes at most 999']);
  });

  it('Braze: attribute names of 1 to 255 characters, and an external_id or a user alias', () => {
    expect(checkHeaderNames(braze, ['external_id', 'email', '🎉'.repeat(255)])).toEqual([]);
    expect(checkHeaderNames(braze, ['user_alias_name', 'user_alias_label', 'email'])).toEqual([]);
    expect(checkHeaderNames(braze, ['user_alias_name', 'email'])).toEqual([
      'no external_id, or user_alias_name and user_alias_label column: Braze imports identify each user by it; add it in columns:',
    ]);
    expect(checkHeaderNames(braze, ['external_id', 'email', '🎉'.repeat(256), ''])).toEqual([
      `column 3 ("${'🎉'.repeat(256)}"): Braze attribute names have 1 to 255 characters and do not start or end with a space`,
      'column 4 (""): Braze attribute names have 1 to 255 characters and do not start or end with a space',
    ]);
  });

  it('folds case only by lower-casing: names that differ in spelling once upper-cased stay two', () => {
    // "ß" upper-cases to "SS"; lower-cased, Straße and STRASSE differ.
    expect(checkHeaderNames(generic, ['Straße', 'STRASSE'])).toEqual([]);
  });

  it('asks for an email column only where the mailer needs one, whatever column is named as the email', () => {
    expect(checkHeaderNames(generic, ['join_url'], 'email')).toEqual([]);
    expect(checkHeaderNames(spreadsheet, ['join_url'], 'Email')).toEqual([]);
  });

  it('names short links as the remedy only for a value that starts as a web link', () => {
    const long = (start: string) => start + 'e'.repeat(300);
    expect(cellLimitProblem(mailchimp, 'X', long('http://acme.example/'))).toMatch(/; use short links \(links:\)$/);
    expect(cellLimitProblem(mailchimp, 'X', long('HTTPS://acme.example/'))).toMatch(/; use short links \(links:\)$/);
    expect(cellLimitProblem(mailchimp, 'X', long('see https://acme.example/'))).toMatch(/; shorten it in the roster$/);
  });

  it('generic and spreadsheet take any name but an empty one, and not one name twice', () => {
    for (const profile of [generic, spreadsheet]) {
      expect(checkHeaderNames(profile, ['email', 'Join URL', 'ÄÖÜ'])).toEqual([]);
      expect(checkHeaderNames(profile, ['a', ''])).toHaveLength(1);
      expect(checkHeaderNames(profile, ['email', 'EMAIL'])).toEqual([
        `columns 1 and 2 ("email", "EMAIL") are one name to ${profile.label}`,
      ]);
    }
  });
});
