import { ExplorerMonthlyDocument } from '../../../client/generated/graphql.js';
import { month } from '../format.js';
import { run } from '../graph.js';
import { need, notes, type Panel } from '../panel.js';
import { stackContent } from '../stack.js';
import { twelveMonths, type Window } from '../windows.js';

/** The ten largest categories drawn; the others as one. */
export const MONTHLY_GROUPS = 10;

/** Consumption per month by category, the twelve months up to the window's last (`consumptionReport`). */
export function loadMonthly(panel: Panel, organizationId: string | undefined, window: Window): Promise<void> {
  const variables = { organizationId, ...twelveMonths(window), first: MONTHLY_GROUPS };
  return panel.load(variables, async (signal) => {
    const answer = await run(ExplorerMonthlyDocument, variables, signal);
    const report = need(answer, (d) => d.organization?.consumptionReport);
    const content = stackContent(report, { title: 'Monthly consumption by category', unit: 'Month', bucket: month, what: 'category', others: 'Other categories' });
    return { ...content, nodes: [...content.nodes, ...notes(answer)] };
  });
}
