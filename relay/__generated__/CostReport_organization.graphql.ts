/**
 * @generated SignedSource<<fd446f227e6aba763251f391d8222b45>>
 * @lightSyntaxTransform
 */

/* tslint:disable */
/* eslint-disable */
// @ts-nocheck

import { ReaderFragment } from 'relay-runtime';
import { FragmentRefs } from "relay-runtime";
export type CostReport_organization$data = {
  readonly chargeReport: {
    readonly groups: {
      readonly edges: ReadonlyArray<{
        readonly node: {
          readonly keys: ReadonlyArray<{
            readonly id: string | null | undefined;
            readonly name: string | null | undefined;
          }>;
          readonly series: ReadonlyArray<{
            readonly start: string;
            readonly totals: ReadonlyArray<{
              readonly amount: string;
              readonly currency: string;
            }>;
          }>;
        };
      }>;
      readonly totalCount: number;
    };
    readonly totals: ReadonlyArray<{
      readonly amount: string;
      readonly currency: string;
    }>;
  };
  readonly " $fragmentType": "CostReport_organization";
};
export type CostReport_organization$key = {
  readonly " $data"?: CostReport_organization$data;
  readonly " $fragmentSpreads": FragmentRefs<"CostReport_organization">;
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
  "name": "CostReport_organization",
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
            "PROJECT"
          ]
        },
        {
          "kind": "Variable",
          "name": "to",
          "variableName": "to"
        }
      ],
      "concreteType": "CostReport",
      "kind": "LinkedField",
      "name": "chargeReport",
      "plural": false,
      "selections": [
        (v0/*:: as any*/),
        {
          "alias": null,
          "args": [
            {
              "kind": "Literal",
              "name": "first",
              "value": 10
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
              "kind": "ScalarField",
              "name": "totalCount",
              "storageKey": null
            },
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
                      "concreteType": "CostBucket",
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
                        (v0/*:: as any*/)
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
  "type": "Organization",
  "abstractKey": null
};
})();

(node as any).hash = "b6317f8903021fc639526f158307f1e8";

export default node;
