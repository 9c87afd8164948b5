/**
 * A model of what Mailchimp does with a value on its way into an email: the audience import keeps
 * at most 255 bytes of a text field, clipping the rest without an error
 * (mailchimp.com/help/format-guidelines-for-your-import-file), and a campaign replaces each merge
 * tag `*|TAG|*` with the field's value. The model inserts values as they are; it knows no
 * conditional or `*|HTML:TAG|*` tags, and an unknown tag is an error so that a typo fails a test.
 */

const TEXT_FIELD_BYTES = 255;

/** The value as a text field keeps it after an import: its longest prefix of whole characters within 255 bytes. */
export function importTextField(value: string): string {
  let bytes = 0;
  let end = 0;
  for (const ch of value) {
    bytes += Buffer.byteLength(ch, 'utf8');
    if (bytes > TEXT_FIELD_BYTES) break;
    end += ch.length;
  }
  return value.slice(0, end);
}

/** `template` with every `*|TAG|*` replaced by `fields[TAG]`. */
export function mergeTags(template: string, fields: Readonly<Record<string, string>>): string {
  return template.replace(/\*\|([A-Z0-9_]{1,10})\|\*/g, (_, tag: string) => {
    const value = fields[tag];
    if (value === undefined) throw new Error(`no merge field ${tag}`);
    return value;
  });
}
