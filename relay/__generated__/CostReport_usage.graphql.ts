/**
 * @generated SignedSource<<2be60f3612f5342351aaa0e0ebb133d7>>
 * @lightSyntaxTransform
 */

/* tslint:disable */
/* eslint-disable */
// @ts-nocheck

import { ReaderFragment } from 'relay-runtime';
import { FragmentRefs } from "relay-runtime";
export type CostReport_usage$data = {
  readonly usageReport: {
    readonly groups: {
      readonly edges: ReadonlyArray<{
        readonly node: {
          readonly keys: ReadonlyArray<{
            readonly id: string | null | undefined;
            readonly name: string | null | undefined;
          }>;
          readonly series: ReadonlyArray<{
            readonly runsCount: number;
            readonly runsSeconds: number;
            readonly start: string;
          }>;
        };
      }>;
    };
    readonly totalRunsCount: number;
    readonly totalRunsSeconds: number;
  };
  readonly " $fragmentType": "CostReport_usage";
};
export type CostReport_usage$key = {
  readonly " $data"?: CostReport_usage$data;
  readonly " $fragmentSpreads": FragmentRefs<"CostReport_usage">;
};

const node: ReaderFragment = {
  "argumentDefinitions": [
    {
      "defaultValue": null,
      "kind": "LocalArgument",
      "name": "from"
    },
    {
      "defaultValue": null,
      "kind": "LocalArgument",
      "name": "to"
    }
  ],
  "kind": "Fragment",
  "metadata": null,
  "name": "CostReport_usage",
  "selections": [
    {
      "alias": null,
      "args": [
        {
          "kind": "Variable",
          "name": "from",
          "variableName": "from"
        },
        {
          "kind": "Literal",
          "name": "granularity",
          "value": "DAY"
        },
        {
          "kind": "Literal",
          "name": "groupBy",
          "value": [
            "WORKSPACE"
          ]
        },
        {
          "kind": "Variable",
          "name": "to",
          "variableName": "to"
        }
      ],
      "concreteType": "UsageReport",
      "kind": "LinkedField",
      "name": "usageReport",
      "plural": false,
      "selections": [
        {
          "alias": null,
          "args": null,
          "kind": "ScalarField",
          "name": "totalRunsCount",
          "storageKey": null
        },
        {
          "alias": null,
          "args": null,
          "kind": "ScalarField",
          "name": "totalRunsSeconds",
          "storageKey": null
        },
        {
          "alias": null,
          "args": [
            {
              "kind": "Literal",
              "name": "first",
              "value": 10
            }
          ],
          "concreteType": "UsageGroupConnection",
          "kind": "LinkedField",
          "name": "groups",
          "plural": false,
          "selections": [
            {
              "alias": null,
              "args": null,
              "concreteType": "UsageGroupEdge",
              "kind": "LinkedField",
              "name": "edges",
              "plural": true,
              "selections": [
                {
                  "alias": null,
                  "args": null,
                  "concreteType": "UsageGroup",
                  "kind": "LinkedField",
                  "name": "node",
                  "plural": false,
                  "selections": [
                    {
                      "alias": null,
                      "args": null,
                      "concreteType": "CostKey",
                      "kind": "LinkedField",
                      "name": "keys",
                      "plural": true,
                      "selections": [
                        {
                          "alias": null,
                          "args": null,
                          "kind": "ScalarField",
                          "name": "id",
                          "storageKey": null
                        },
                        {
                          "alias": null,
                          "args": null,
                          "kind": "ScalarField",
                          "name": "name",
                          "storageKey": null
                        }
                      ],
                      "storageKey": null
                    },
                    {
                      "alias": null,
                      "args": null,
                      "concreteType": "UsageBucket",
                      "kind": "LinkedField",
                      "name": "series",
                      "plural": true,
                      "selections": [
                        {
                          "alias": null,
                          "args": null,
                          "kind": "ScalarField",
                          "name": "start",
                          "storageKey": null
                        },
                        {
                          "alias": null,
                          "args": null,
                          "kind": "ScalarField",
                          "name": "runsCount",
                          "storageKey": null
                        },
                        {
                          "alias": null,
                          "args": null,
                          "kind": "ScalarField",
                          "name": "runsSeconds",
                          "storageKey": null
                        }
                      ],
                      "storageKey": null
                    }
                  ],
                  "storageKey": null
                }
              ],
              "storageKey": null
            }
          ],
          "storageKey": "groups(first:10)"
        }
      ],
      "storageKey": null
    }
  ],
  "type": "ScalrAccount",
  "abstractKey": null
};

(node as any).hash = "7ee5410f371f61d1d3fb00b5be062fba";

export default node;
