import { useState } from 'preact/hooks';
import type { ApiId } from './api/types.js';
import { BatchDetail } from './components/batch-detail.js';
import { BatchesPanel } from './components/batches-panel.js';
import { JobsPanel } from './components/jobs-panel.js';
import { NodesPanel } from './components/nodes-panel.js';
import { WorkflowsPanel } from './components/workflows-panel.js';
import { useErrorBanner } from './hooks/use-action.js';

/** The dev server's console: nodes, jobs and workflows on the left, batches, tasks and logs on the right. */
export function App() {
  const [jobId, setJobId] = useState<ApiId | undefined>();
  const [batchId, setBatchId] = useState<ApiId | undefined>();
  const [error, setError] = useErrorBanner();
  return (
    <>
      <header class="top">
        <h1>
          <span class="logo" aria-hidden="true" /> SnailJob dev server
        </h1>
        <span class="muted">{location.host}</span>
      </header>
      {error && (
        <div class="banner" role="alert">
          {error}
          <button onClick={() => setError(undefined)} aria-label="Dismiss">
            ×
          </button>
        </div>
      )}
      <main class="grid">
        <div class="column">
          <NodesPanel />
          <JobsPanel
            selected={jobId}
            onSelect={(id) => {
              setJobId(id);
              setBatchId(undefined);
            }}
            onTriggered={(job, batch) => {
              setJobId(job);
              setBatchId(batch);
            }}
          />
          <WorkflowsPanel
            onOpenBatch={(id) => {
              setJobId(undefined);
              setBatchId(id);
            }}
          />
        </div>
        <div class="column">
          <BatchesPanel jobId={jobId} selected={batchId} onSelect={setBatchId} />
          {batchId !== undefined && <BatchDetail key={batchId} batchId={batchId} />}
        </div>
      </main>
    </>
  );
}
