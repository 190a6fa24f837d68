import { ExplorerDailyDocument } from '../../../client/generated/graphql.js';
import { day } from '../format.js';
import { run } from '../graph.js';
import { need, notes, type Panel } from '../panel.js';
import { stackContent } from '../stack.js';
import type { Window } from '../windows.js';

/** The ten largest projects drawn; the others as one. */
export const DAILY_GROUPS = 10;

/** Spend per day by project over the window (`chargeReport` DAY × PROJECT). */
export function loadDaily(panel: Panel, organizationId: string | undefined, window: Window): Promise<void> {
  const variables = { organizationId, from: window.from, to: window.to, first: DAILY_GROUPS };
  return panel.load(variables, async (signal) => {
    const answer = await run(ExplorerDailyDocument, variables, signal);
    const report = need(answer, (d) => d.organization?.chargeReport);
    const content = stackContent(report, { title: 'Daily spend by project', unit: 'Day', bucket: day, what: 'project', others: 'Other projects' });
    return { ...content, nodes: [...content.nodes, ...notes(answer)] };
  });
}
