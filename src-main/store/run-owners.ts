// Which process a queued run belongs to. The process that queues a run (a CLI sweep, the web host,
// the desktop app) keeps it in its own scheduler, so its row records that process (pid, host) until
// a worker claims it. When that process dies (a signal, kill -9, a crash) its queued runs would
// wait forever: they are orphans, which `resume --all` and any host that opens the workspace take over.
import { describeRuns } from './runs-folder';
import { hostName, processAlive, type Workspace } from './workspace';

interface Owner {
  id: number;
  pid: number | null;
  host: string;
}

/** Nobody will start it: no owner recorded, another machine's (which this one cannot ask), or a process that is gone. */
const gone = (o: Owner): boolean => o.pid === null || o.host !== hostName() || (o.pid !== process.pid && !processAlive(o.pid));

/** Queued runs whose owning process is gone, oldest first. */
export function orphanedQueuedRuns(ws: Workspace): number[] {
  const queued = ws.db.prepare(`SELECT id, pid, host FROM runs WHERE status = 'queued' AND executor = 'local' ORDER BY id`).all() as Owner[];
  return queued.filter(gone).map((o) => o.id);
}

/** The live process, other than this one, that holds the queued run `id` (null: none, or this process). */
export function queuedElsewhere(ws: Workspace, id: number): { pid: number; host: string } | null {
  const o = ws.db.prepare(`SELECT id, pid, host FROM runs WHERE id = ? AND status = 'queued'`).get(id) as Owner | undefined;
  if (!o || gone(o) || o.pid === process.pid) return null;
  return { pid: o.pid!, host: o.host };
}

/**
 * Makes this process the owner of the given orphans; returns those it took. Two processes opening
 * the workspace at once cannot both take one: each takes it only from the owner it saw gone.
 */
export function adoptQueuedRuns(ws: Workspace, ids: readonly number[]): number[] {
  const read = ws.db.prepare(`SELECT id, pid, host FROM runs WHERE id = ? AND status = 'queued' AND executor = 'local'`);
  const take = ws.db.prepare(`UPDATE runs SET pid = ?, host = ? WHERE id = ? AND status = 'queued' AND pid IS ? AND host = ?`);
  return ws.db.transaction(() =>
    ids.filter((id) => {
      const o = read.get(id) as Owner | undefined;
      return o !== undefined && gone(o) && take.run(process.pid, hostName(), id, o.pid, o.host).changes > 0;
    }),
  ).immediate();
}

/** Gives up queued runs this process will not start after all (it is stopping): any process may take them now. */
export function releaseQueuedRuns(ws: Workspace, ids: readonly number[]): void {
  const release = ws.db.prepare(`UPDATE runs SET pid = NULL WHERE id = ? AND status = 'queued' AND pid = ? AND host = ?`);
  ws.db.transaction(() => ids.forEach((id) => release.run(id, process.pid, hostName())))();
}

/** "2 queued runs were left by a process that is gone: runs 4, 5; 'sqs-workbench resume --all' trains them" */
export function orphanedNotice(ids: readonly number[]): string | null {
  if (ids.length === 0) return null;
  const one = ids.length === 1;
  return `${ids.length} queued run${one ? ' was' : 's were'} left by a process that is gone: ${describeRuns(ids)}; 'sqs-workbench resume --all' trains ${one ? 'it' : 'them'}`;
}
