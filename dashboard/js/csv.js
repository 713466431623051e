// csv.js — build a CSV (RFC 4180) in the browser and hand it to the user as a
// download. Cells that a spreadsheet would run as a formula are defused.

function cell(v) {
  if (v === null || v === undefined) return '';
  let s = typeof v === 'object' ? JSON.stringify(v) : String(v);
  // "=cmd", "@x", "+x" / "-x" that are not plain numbers or phone numbers → text
  if (/^[=@\t\r]/.test(s) || (/^[+-]/.test(s) && !/^[+-]?[\d\s().-]+$/.test(s))) s = `'${s}`;
  return /[",\r\n]/.test(s) ? `"${s.replace(/"/g, '""')}"` : s;
}

/** columns: [{label, value(row)}]; rows: objects. */
export function toCsv(columns, rows) {
  const lines = [columns.map((c) => cell(c.label)).join(',')];
  for (const r of rows) lines.push(columns.map((c) => cell(c.value(r))).join(','));
  return `${lines.join('\r\n')}\r\n`;
}

/** Offer text as a file download (no server round trip). */
export function download(filename, text, type = 'text/csv;charset=utf-8') {
  const blob = new Blob(['\ufeff', text], { type }); // BOM: spreadsheets read UTF-8 correctly
  const url = URL.createObjectURL(blob);
  const a = document.createElement('a');
  a.href = url;
  a.download = filename;
  a.hidden = true;
  document.body.append(a);
  a.click();
  a.remove();
  setTimeout(() => URL.revokeObjectURL(url), 10_000);
}
