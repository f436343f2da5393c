import type { AuditEventRecord, Store } from '../spec/store';
import { openEmbeddedStore } from '../store/embedded/embedded-store';
import { AUDIT_CSV_COLUMNS, AuditExportTooLargeError, auditEventToCsvRow, csvCell, exportAudit } from './export';

/** Minimal RFC 4180 parser, so the test checks the CSV by reading it back. */
function parseCsv(text: string): string[][] {
  const rows: string[][] = [];
  let row: string[] = [];
  let cell = '';
  let quoted = false;
  for (let i = 0; i < text.length; i += 1) {
    const ch = text[i]!;
    if (quoted) {
      if (ch === '"' && text[i + 1] === '"') {
        cell += '"';
        i += 1;
      } else if (ch === '"') quoted = false;
      else cell += ch;
    } else if (ch === '"') quoted = true;
    else if (ch === ',') {
      row.push(cell);
      cell = '';
    } else if (ch === '\r' && text[i + 1] === '\n') {
      row.push(cell);
      rows.push(row);
      row = [];
      cell = '';
      i += 1;
    } else cell += ch;
  }
  return rows;
}

describe('audit export', () => {
  let store: Store;
  let events: AuditEventRecord[];

  beforeEach(async () => {
    store = openEmbeddedStore({ path: ':memory:' });
    events = [];
    events.push(
      await store.audit.append({
        event: 'token.created',
        severity: 'info',
        actor: { type: 'admin_key', id: 'k1', name: 'ops, "night" shift' },
        projectId: 'p1',
        target: { type: 'token', id: 't1', name: 'line1\nline2' },
        metadata: { prefix: 'pc_live_AbCd…', scopes: 'chat,models' },
        ip: '10.0.0.1',
      }),
    );
    events.push(await store.audit.append({ event: 'auth.login_failed', severity: 'warning', actor: { type: 'anonymous' }, ip: null }));
    events.push(
      await store.audit.append({
        event: 'project.created',
        severity: 'info',
        actor: { type: 'cli', name: '=HYPERLINK("http://evil")' },
        target: { type: 'project', id: 'p2', name: 'demo' },
      }),
    );
  });
  afterEach(() => store.close());

  it('exports NDJSON, one stored event per line, byte-faithful', async () => {
    const text = await exportAudit(store.audit, { format: 'ndjson' });
    const lines = text.split('\n');
    expect(lines.pop()).toBe('');
    expect(lines.map((line) => JSON.parse(line))).toEqual(events);
  });

  it('exports CSV with a header and correct quoting of commas, quotes and newlines', async () => {
    const text = await exportAudit(store.audit, { format: 'csv' });
    const rows = parseCsv(text);
    expect(rows[0]).toEqual([...AUDIT_CSV_COLUMNS]);
    expect(rows).toHaveLength(4);
    const first = Object.fromEntries(AUDIT_CSV_COLUMNS.map((column, i) => [column, rows[1]![i]]));
    expect(first).toMatchObject({
      seq: '1',
      event: 'token.created',
      actor_name: 'ops, "night" shift',
      target_name: 'line1\nline2',
      project_id: 'p1',
      hash: events[0]!.hash,
    });
    expect(JSON.parse(first.metadata!)).toEqual({ prefix: 'pc_live_AbCd…', scopes: 'chat,models' });
    const second = rows[2]!;
    expect(second[AUDIT_CSV_COLUMNS.indexOf('actor_id')]).toBe('');
    expect(second[AUDIT_CSV_COLUMNS.indexOf('metadata')]).toBe('');
  });

  it('neutralises spreadsheet formulas in text cells', async () => {
    const rows = parseCsv(await exportAudit(store.audit, { format: 'csv' }));
    expect(rows[3]![AUDIT_CSV_COLUMNS.indexOf('actor_name')]).toBe('\'=HYPERLINK("http://evil")');
    expect(csvCell('-1+2')).toBe("'-1+2");
    expect(csvCell('@sum')).toBe("'@sum");
    expect(csvCell(-5)).toBe('-5');
    expect(csvCell(null)).toBe('');
    expect(csvCell('plain')).toBe('plain');
  });

  it('filters by time range: from inclusive, to exclusive', async () => {
    const at = events[1]!.at;
    const later = new Date(Date.parse(at) + 60_000).toISOString();
    const from = await exportAudit(store.audit, { format: 'ndjson', from: at });
    expect(from.trim().split('\n').map((line) => (JSON.parse(line) as AuditEventRecord).seq)).toEqual(
      events.filter((e) => e.at >= at).map((e) => e.seq),
    );
    const none = await exportAudit(store.audit, { format: 'ndjson', from: later });
    expect(none).toBe('');
    const upTo = await exportAudit(store.audit, { format: 'csv', to: events[0]!.at });
    expect(parseCsv(upTo)).toEqual([[...AUDIT_CSV_COLUMNS]]);
  });

  it('walks several pages', async () => {
    const text = await exportAudit(store.audit, { format: 'ndjson', pageSize: 1 });
    expect(text.trim().split('\n')).toHaveLength(3);
  });

  it('refuses ranges larger than maxEvents', async () => {
    await expect(exportAudit(store.audit, { format: 'ndjson', maxEvents: 2 })).rejects.toBeInstanceOf(AuditExportTooLargeError);
    await expect(exportAudit(store.audit, { format: 'ndjson', maxEvents: 3 })).resolves.toBeTruthy();
  });

  it('rejects a malformed time', async () => {
    await expect(exportAudit(store.audit, { format: 'csv', from: 'yesterday' })).rejects.toThrow(/from is not an ISO-8601 time/);
  });

  it('renders one row per event with as many cells as columns', () => {
    expect(parseCsv(`${auditEventToCsvRow(events[0]!)}\r\n`)[0]).toHaveLength(AUDIT_CSV_COLUMNS.length);
  });
});
