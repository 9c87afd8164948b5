import { beforeAll, describe, expect, it } from 'vitest';
import Handlebars from 'handlebars';
import { DOMAIN_ID, KEY, NOW, hmacValid, payloadOf, readCsv, signRoster } from '../helpers.js';
import { PROFILES } from '../../src/output/profiles.js';
import { cellLimitProblem } from '../../src/output/profile-rules.js';
import { importTextField, mergeTags } from './mailchimp-merge.js';

// Ada's token carries only the room (its join link is 229 bytes), Bob's a name, a UUID and owner
// (324 bytes): one link under Mailchimp's 255 bytes, one over.
const ROSTER = [
  'email,room,name,id,owner',
  'ada@example.com,demo,,,',
  'bob@example.com,demo,Bob Builder,9f1c2d3e-4b5a-4c6d-8e7f-0a1b2c3d4e5f,yes',
].join('\n');

const ARGS = ['--domain-id', DOMAIN_ID, '--domain-name', 'acme', '--ttl', '7d', '--now', NOW];
const HTML = '<p>Hello {{first_name}},</p><a href="LINK">Join the meeting</a>\nLINK\n';
const hrefs = (html: string): string[] => [...html.matchAll(/href="([^"]*)"/g)].map((m) => m[1]!);

let rows: Record<string, string>[];

beforeAll(async () => {
  const { result, tokensFile } = await signRoster(ROSTER, ARGS);
  expect(result.stderr).toBe('');
  expect(result.code).toBe(0);
  rows = readCsv(tokensFile);
  expect(rows.map((r) => Buffer.byteLength(r['join_url']!))).toEqual([229, 324]);
  for (const row of rows) expect(row['join_url']).toContain('?t=');
});

describe('SendGrid templates (Handlebars) and a real join link', () => {
  it('{{join_url}} HTML-escapes the "=" of "?t=": the rendered link is not the signed one', () => {
    const render = Handlebars.compile(HTML.replaceAll('LINK', '{{join_url}}'));
    for (const row of rows) {
      const html = render({ first_name: row['user_name'], join_url: row['join_url'] });
      expect(html).toContain('?t&#x3D;');
      expect(hrefs(html)[0]).not.toBe(row['join_url']);
      expect(html.split('\n')[1]).not.toBe(row['join_url']); // the plain-text line breaks too
    }
  });

  it("{{{join_url}}} (the profile's merge tag) renders the link byte-identical to the signed join URL", () => {
    const render = Handlebars.compile(HTML.replaceAll('LINK', PROFILES.sendgrid.mergeTag('join_url')));
    for (const row of rows) {
      const html = render({ first_name: row['user_name'], join_url: row['join_url'] });
      expect(Buffer.from(hrefs(html)[0]!)).toEqual(Buffer.from(row['join_url']!));
      expect(Buffer.from(html.split('\n')[1]!)).toEqual(Buffer.from(row['join_url']!));
    }
  });
});

describe('Mailchimp merge tags and a real join link', () => {
  const template = HTML.replace('{{first_name}}', '*|FNAME|*').replaceAll('LINK', PROFILES.mailchimp.mergeTag('JOINURL'));

  it('a link within 255 bytes survives the import and *|JOINURL|* renders it byte-identical', () => {
    const ada = rows[0]!;
    expect(cellLimitProblem(PROFILES.mailchimp, 'JOINURL', ada['join_url']!)).toBeNull();
    const html = mergeTags(template, { FNAME: ada['user_name']!, JOINURL: importTextField(ada['join_url']!) });
    expect(Buffer.from(hrefs(html)[0]!)).toEqual(Buffer.from(ada['join_url']!));
    expect(Buffer.from(html.split('\n')[1]!)).toEqual(Buffer.from(ada['join_url']!));
  });

  it('a longer link would be clipped at import into a dead one: the profile rejects it with the reason instead', () => {
    const bob = rows[1]!;
    const clipped = importTextField(bob['join_url']!);
    expect(Buffer.byteLength(clipped)).toBe(255);
    expect(mergeTags(template, { FNAME: 'Bob', JOINURL: clipped })).not.toContain(bob['join_url']);
    expect(cellLimitProblem(PROFILES.mailchimp, 'JOINURL', bob['join_url']!)).toBe(
      'JOINURL: 324 bytes, Mailchimp keeps 255; use short links (links:)',
    );
  });

  it('the import model clips at whole characters and the merge refuses an unknown tag', () => {
    expect(Buffer.byteLength(importTextField('é'.repeat(200)))).toBe(254);
    expect(importTextField('a'.repeat(255))).toBe('a'.repeat(255));
    expect(() => mergeTags('*|JOINURLL|*', { JOINURL: 'x' })).toThrow('no merge field JOINURLL');
  });
});

describe('files written with the mailer profiles, rendered as the mailer renders them', () => {
  /** The signed join link a cell should hold: the token verifies with the key and names the room the link opens. */
  function signedLink(link: string): string {
    const token = link.slice(link.indexOf('?t=') + 3);
    expect(hmacValid(token, KEY)).toBe(true);
    return `https://acme.daily.co/${payloadOf(token)['r'] as string}?t=${token}`;
  }

  it("sendgrid: {{{join_url}}} over the file's own columns renders every link byte-identical", async () => {
    const { result, tokensFile } = await signRoster(ROSTER, [...ARGS, '--profile', 'sendgrid']);
    expect(result.code).toBe(0);
    const render = Handlebars.compile(HTML.replaceAll('LINK', PROFILES.sendgrid.mergeTag('join_url')));
    const contacts = readCsv(tokensFile);
    expect(contacts).toHaveLength(2);
    for (const contact of contacts) {
      const html = render(contact);
      expect(Buffer.from(hrefs(html)[0]!)).toEqual(Buffer.from(signedLink(contact['join_url']!)));
      expect(Buffer.from(html.split('\n')[1]!)).toEqual(Buffer.from(signedLink(contact['join_url']!)));
    }
  });

  it('mailchimp: the file keeps only links the import keeps whole, and *|JOINURL|* renders each byte-identical', async () => {
    const { result, tokensFile } = await signRoster(ROSTER, [...ARGS, '--profile', 'mailchimp', '--max-reject-ratio', '1']);
    expect(result.code).toBe(0);
    const template = HTML.replace('{{first_name}}', '*|FNAME|*').replaceAll('LINK', PROFILES.mailchimp.mergeTag('JOINURL'));
    const contacts = readCsv(tokensFile);
    expect(contacts.map((c) => c['EMAIL'])).toEqual(['ada@example.com']); // Bob's 324-byte link went to rejects
    for (const contact of contacts) {
      const imported = Object.fromEntries(Object.entries(contact).map(([tag, value]) => [tag, importTextField(value)]));
      const html = mergeTags(template, imported);
      expect(Buffer.from(hrefs(html)[0]!)).toEqual(Buffer.from(signedLink(contact['JOINURL']!)));
    }
  });
});
