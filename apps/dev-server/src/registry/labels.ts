import { parseJson } from 'nestjs-snail-job/protocol';
import type { LabelMap } from './node.model.js';

/**
 * Label matching of docs/protocol.md §8.4: a node without labels matches every job; otherwise it must carry every job
 * label with an equal value, and `state = "up"` (always required). Values are compared strictly, like the
 * Java objects they are (`"1"` ≠ `1`).
 */
export function matchesLabels(nodeLabels: LabelMap, jobLabels: LabelMap): boolean {
  if (Object.keys(nodeLabels).length === 0) return true;
  const required: LabelMap = { ...jobLabels, state: 'up' };
  return Object.entries(required).every(([k, v]) => Object.hasOwn(nodeLabels, k) && nodeLabels[k] === v);
}

/** Parses a labels JSON object text (the `label` header, or a job's `labels`). Blank → `{}`. */
export function parseLabels(text: string | undefined): LabelMap {
  if (text === undefined || text.trim() === '') return {};
  const parsed = parseJson(text);
  if (parsed === null) return {};
  if (typeof parsed !== 'object' || Array.isArray(parsed)) {
    throw new Error(`Labels must be a JSON object; got ${text}`);
  }
  return parsed as LabelMap;
}
