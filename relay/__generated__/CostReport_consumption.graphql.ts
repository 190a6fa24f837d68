/**
 * @generated SignedSource<<e7734f3ca4f7b42d8b69fe43452d7453>>
 * @lightSyntaxTransform
 */

/* tslint:disable */
/* eslint-disable */
// @ts-nocheck

import { ReaderFragment } from 'relay-runtime';
import { FragmentRefs } from "relay-runtime";
export type CostReport_consumption$data = {
  readonly consumptionReport: {
    readonly buckets: ReadonlyArray<{
      readonly start: string;
      readonly totals: ReadonlyArray<{
        readonly amount: string;
        readonly currency: string;
      }>;
    }>;
    readonly groups: {
      readonly edges: ReadonlyArray<{
        readonly node: {
          readonly keys: ReadonlyArray<{
            readonly id: string | null | undefined;
          }>;
          readonly totals: ReadonlyArray<{
            readonly amount: string;
            readonly currency: string;
          }>;
        };
      }>;
    };
  };
  readonly " $fragmentType": "CostReport_consumption";
};
export type CostReport_consumption$key = {
  readonly " $data"?: CostReport_consumption$data;
  readonly " $fragmentSpreads": FragmentRefs<"CostReport_consumption">;
};

const node: ReaderFragment = (function(){
var v0 = {
  "alias": null,
  "args": null,
  "concreteType": "Money",
  "kind": "LinkedField",
  "name": "totals",
  "plural": true,
  "selections": [
    {
      "alias": null,
      "args": null,
      "kind": "ScalarField",
      "name": "amount",
      "storageKey": null
    },
    {
      "alias": null,
      "args": null,
      "kind": "ScalarField",
      "name": "currency",
      "storageKey": null
    }
  ],
  "storageKey": null
};
return {
  "argumentDefinitions": [
    {
      "defaultValue": null,
      "kind": "LocalArgument",
      "name": "fromPeriod"
    },
    {
      "defaultValue": null,
      "kind": "LocalArgument",
      "name": "toPeriod"
    }
  ],
  "kind": "Fragment",
  "metadata": null,
  "name": "CostReport_consumption",
  "selections": [
    {
      "alias": null,
      "args": [
        {
          "kind": "Variable",
          "name": "fromPeriod",
          "variableName": "fromPeriod"
        },
        {
          "kind": "Literal",
          "name": "groupBy",
          "value": [
            "CATEGORY"
          ]
        },
        {
          "kind": "Variable",
          "name": "toPeriod",
          "variableName": "toPeriod"
        }
      ],
      "concreteType": "CostReport",
      "kind": "LinkedField",
      "name": "consumptionReport",
      "plural": false,
      "selections": [
        {
          "alias": null,
          "args": null,
          "concreteType": "CostBucket",
          "kind": "LinkedField",
          "name": "buckets",
          "plural": true,
          "selections": [
            {
              "alias": null,
              "args": null,
              "kind": "ScalarField",
              "name": "start",
              "storageKey": null
            },
            (v0/*:: as any*/)
          ],
          "storageKey": null
        },
        {
          "alias": null,
          "args": [
            {
              "kind": "Literal",
              "name": "first",
              "value": 20
            }
          ],
          "concreteType": "CostGroupConnection",
          "kind": "LinkedField",
          "name": "groups",
          "plural": false,
          "selections": [
            {
              "alias": null,
              "args": null,
              "concreteType": "CostGroupEdge",
              "kind": "LinkedField",
              "name": "edges",
              "plural": true,
              "selections": [
                {
                  "alias": null,
                  "args": null,
                  "concreteType": "CostGroup",
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
                        }
                      ],
                      "storageKey": null
                    },
                    (v0/*:: as any*/)
                  ],
                  "storageKey": null
                }
              ],
              "storageKey": null
            }
          ],
          "storageKey": "groups(first:20)"
        }
      ],
      "storageKey": null
    }
  ],
  "type": "Organization",
  "abstractKey": null
};
})();

(node as any).hash = "9ad14c2bb5bda2b75e0dc984c1f23e9a";

export default node;
