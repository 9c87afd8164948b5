/**
 * CSV cells for the output files. Byte-identical to csv-stringify with `escape_formulas` (a
 * property test holds them together); written by hand because csv-stringify's per-cell
 * generality cost about a quarter of a batch's time when measured.
 */

// OWASP CSV injection: a cell a spreadsheet would run as a formula gets a leading quote. Same
// list as csv-stringify's escape_formulas: = + - @ tab CR and their full-width forms.
function startsLikeFormula(value: string): boolean {
  switch (value.charCodeAt(0)) {
    case 0x3d: // =
    case 0x2b: // +
    case 0x2d: // -
    case 0x40: // @
    case 0x09: // tab
    case 0x0d: // CR
    case 0xff1d:
    case 0xff0b:
    case 0xff0d:
    case 0xff20:
      return true;
    default:
      return false;
  }
}

export function escapeFormula(value: string): string {
  return startsLikeFormula(value) ? `'${value}` : value;
}

function needsQuotes(value: string): boolean {
  for (let i = 0; i < value.length; i++) {
    const c = value.charCodeAt(i);
    if (c === 0x22 || c === 0x2c || c === 0x0a || c === 0x0d) return true;
  }
  return false;
}

/** One cell of any text: formula-guarded when asked, quoted when it must be. */
export function csvCell(value: string, escapeFormulas: boolean): string {
  if (value.length === 0) return value;
  const text = escapeFormulas && startsLikeFormula(value) ? `'${value}` : value;
  return needsQuotes(text) ? `"${text.replaceAll('"', '""')}"` : text;
}

/** One CSV line of arbitrary cells, terminated by LF. */
export function csvRow(cells: readonly string[], escapeFormulas: boolean): string {
  let line = csvCell(cells[0] ?? '', escapeFormulas);
  for (let i = 1; i < cells.length; i++) line += ',' + csvCell(cells[i]!, escapeFormulas);
  return line + '\n';
}
