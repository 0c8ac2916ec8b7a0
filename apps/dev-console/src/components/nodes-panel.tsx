import type { ExecutorRecord, NodeView } from '../api/types.js';
import { ago } from '../format.js';
import { usePoll } from '../hooks/use-poll.js';
import { Empty, Panel } from './panel.js';

/** Registered client nodes: address, group, labels, the group's executors, last heartbeat. */
export function NodesPanel() {
  const nodes = usePoll<NodeView[]>('/api/nodes').data ?? [];
  const executors = usePoll<ExecutorRecord[]>('/api/executors').data ?? [];
  const executorsOf = (n: NodeView) =>
    executors
      .filter((e) => e.groupName === n.groupName && e.namespaceId === n.namespaceId)
      .map((e) => e.executorInfo);
  return (
    <Panel title="Nodes">
      {nodes.length === 0 ? (
        <Empty>No client has sent a heartbeat yet.</Empty>
      ) : (
        <table>
          <thead>
            <tr>
              <th>Node</th>
              <th>Group</th>
              <th>Labels</th>
              <th>Executors</th>
              <th>Beat</th>
            </tr>
          </thead>
          <tbody>
            {nodes.map((n) => (
              <tr key={`${n.groupName}/${n.hostId}`}>
                <td class="nowrap">
                  <span
                    class={n.alive ? 'dot dot-alive' : 'dot'}
                    title={n.alive ? 'alive' : 'not schedulable'}
                  />
                  <code>{n.hostId}</code>
                  <div class="muted address">
                    {n.hostIp}:{n.hostPort}
                  </div>
                </td>
                <td>{n.groupName}</td>
                <td>
                  {Object.entries(n.labels).map(([k, v]) => (
                    <span class="chip" key={k}>
                      {k}={String(v)}
                    </span>
                  ))}
                </td>
                <td class="executors">
                  {executorsOf(n).map((e) => (
                    <span class="chip chip-executor" key={e}>
                      {e}
                    </span>
                  ))}
                </td>
                <td class="nowrap">{ago(n.lastBeatAt)}</td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
    </Panel>
  );
}
