/**
 * Greenlight's API as its OpenAPI document describes it: generated from the server's contract
 * (packages/server/src/contract/) by openapi-typescript. Do not edit: change the contract and
 * run `npm run api-types`. The SDK names the shapes it uses in types.ts.
 */
export interface paths {
  "/healthz": {
    parameters: {
      query?: never;
      header?: never;
      path?: never;
      cookie?: never;
    };
    /** Liveness */
    get: {
      parameters: {
        query?: never;
        header?: never;
        path?: never;
        cookie?: never;
      };
      requestBody?: never;
      responses: {
        /** @description Default Response */
        200: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            "application/json": components["schemas"]["Health"];
          };
        };
      };
    };
    put?: never;
    post?: never;
    delete?: never;
    options?: never;
    head?: never;
    patch?: never;
    trace?: never;
  };
  "/v1/spaces/{space}/petitions": {
    parameters: {
      query?: never;
      header?: never;
      path?: never;
      cookie?: never;
    };
    /**
     * List petitions
     * @description With awaiting=me or reviewedBy=me the petitions are tested one by one against each one's review plan; a page may then hold fewer than pageSize and still have a nextPageToken. With petitioner=me only petitions naming the caller as a petitioner are listed, found through the database's index, however many others there are.
     */
    get: {
      parameters: {
        query?: {
          /** @description Kubernetes label selector over meta.labels */
          labelSelector?: string;
          /** @description 1 to 100; default 50 */
          pageSize?: number;
          /** @description nextPageToken of the previous page */
          pageToken?: string;
          /** @description oldest first; default newest first */
          ascending?: boolean;
          /** @description comma-separated phases to keep, e.g. open,granted */
          phase?: string;
          showDeleted?: boolean;
          /** @description accepted for compatibility; history is always included */
          full?: boolean;
          /** @description accepted for compatibility; ignored */
          among?: string | string[];
          /** @description me: open petitions the caller may approve or deny and has not reviewed yet (its inbox) */
          awaiting?: "me";
          /** @description me: petitions the caller approved or denied */
          reviewedBy?: "me";
          /** @description me: petitions that name the caller (by its email) as a petitioner */
          petitioner?: "me";
        };
        header?: never;
        path: {
          /** @description space name */
          space: string;
        };
        cookie?: never;
      };
      requestBody?: never;
      responses: {
        /** @description Default Response */
        200: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            "application/json": components["schemas"]["PetitionList"];
          };
        };
      };
    };
    put?: never;
    /**
     * Create a petition (or return the identical open or granted one)
     * @description Returns 201 with a new petition, or 200 with the open or granted petition that already asks for the same access. Send an Idempotency-Key header to make retries safe.
     */
    post: {
      parameters: {
        query?: never;
        header?: never;
        path: {
          /** @description space name */
          space: string;
        };
        cookie?: never;
      };
      requestBody: {
        content: {
          "application/json": {
            petition: components["schemas"]["PetitionInput"];
            /** @description accepted for compatibility; petitions are reviewable as soon as they exist */
            waitForReviewable?: boolean;
          };
        };
      };
      responses: {
        /** @description Default Response */
        200: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            "application/json": components["schemas"]["Petition"];
          };
        };
        /** @description Default Response */
        201: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            "application/json": components["schemas"]["Petition"];
          };
        };
      };
    };
    delete?: never;
    options?: never;
    head?: never;
    patch?: never;
    trace?: never;
  };
  "/v1/spaces/{space}/petitions:preview": {
    parameters: {
      query?: never;
      header?: never;
      path?: never;
      cookie?: never;
    };
    get?: never;
    put?: never;
    /**
     * What a petition would get if it were made now, without making it
     * @description Takes the body create takes and answers with the review its plan would ask for (state.review: durations allowed, steps and their reviewers, high risk) and whether a rule would approve or deny it at once. The caller must be allowed to create it. Nothing is saved; on-call providers and decision webhooks are not asked.
     */
    post: {
      parameters: {
        query?: never;
        header?: never;
        path: {
          /** @description space name */
          space: string;
        };
        cookie?: never;
      };
      requestBody: {
        content: {
          "application/json": {
            petition: components["schemas"]["PetitionInput"];
          };
        };
      };
      responses: {
        /** @description Default Response */
        200: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            "application/json": components["schemas"]["PetitionPreview"];
          };
        };
      };
    };
    delete?: never;
    options?: never;
    head?: never;
    patch?: never;
    trace?: never;
  };
  "/v1/spaces/{space}/petitions/{petition}:extend": {
    parameters: {
      query?: never;
      header?: never;
      path?: never;
      cookie?: never;
    };
    get?: never;
    put?: never;
    /**
     * Extend a granted petition: a new petition for the same access (or the extension already asked for)
     * @description Creates a petition with the same petitioners and resources, labelled greenlight.dev/extends with the petition it extends, asking for the duration given, and decided under the policy like any petition. Returns 201 with it, or 200 with the extension of this petition already open or granted. The caller must be allowed to create that petition. 409 when the petition is not granted. Send an Idempotency-Key header to make retries safe.
     */
    post: {
      parameters: {
        query?: never;
        header?: never;
        path: {
          /** @description space name */
          space: string;
          /** @description petition name */
          petition: string;
        };
        cookie?: never;
      };
      requestBody: {
        content: {
          "application/json": components["schemas"]["ExtendPetitionInput"];
        };
      };
      responses: {
        /** @description Default Response */
        200: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            "application/json": components["schemas"]["Petition"];
          };
        };
        /** @description Default Response */
        201: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            "application/json": components["schemas"]["Petition"];
          };
        };
      };
    };
    delete?: never;
    options?: never;
    head?: never;
    patch?: never;
    trace?: never;
  };
  "/v1/spaces/{space}/petitions/{petition}": {
    parameters: {
      query?: never;
      header?: never;
      path?: never;
      cookie?: never;
    };
    /**
     * Get a petition; with waitFor=decision, wait until it is decided
     * @description With waitFor=decision the request is held until the petition leaves open or the timeout passes (default and cap set by the server), then answers with the petition as it is. It answers at once if the petition is already decided.
     */
    get: {
      parameters: {
        query?: {
          /** @description hold the request until the petition leaves open */
          waitFor?: "decision";
          /** @description how long to hold, as a Go duration ("30s") or seconds ("30"); capped by the server */
          timeout?: string;
        };
        header?: never;
        path: {
          /** @description space name */
          space: string;
          /** @description petition name */
          petition: string;
        };
        cookie?: never;
      };
      requestBody?: never;
      responses: {
        /** @description Default Response */
        200: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            "application/json": components["schemas"]["Petition"];
          };
        };
      };
    };
    /** Update a petition: close it (state.status.phase = closed) or change its labels */
    put: {
      parameters: {
        query?: never;
        header?: never;
        path: {
          /** @description space name */
          space: string;
          /** @description petition name */
          petition: string;
        };
        cookie?: never;
      };
      requestBody: {
        content: {
          "application/json": {
            petition: components["schemas"]["PetitionInput"];
          };
        };
      };
      responses: {
        /** @description Default Response */
        200: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            "application/json": components["schemas"]["Petition"];
          };
        };
      };
    };
    post?: never;
    /** Delete a petition: close it (revoking any access) and hide it from lists */
    delete: {
      parameters: {
        query?: never;
        header?: never;
        path: {
          /** @description space name */
          space: string;
          /** @description petition name */
          petition: string;
        };
        cookie?: never;
      };
      requestBody?: never;
      responses: {
        /** @description Default Response */
        200: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            "application/json": components["schemas"]["Petition"];
          };
        };
      };
    };
    options?: never;
    head?: never;
    patch?: never;
    trace?: never;
  };
  "/v1/spaces/{space}/petitions/{petition}:receipt": {
    parameters: {
      query?: never;
      header?: never;
      path?: never;
      cookie?: never;
    };
    get?: never;
    put?: never;
    /** A signed, short-lived receipt for a granted petition made for one operation */
    post: {
      parameters: {
        query?: never;
        header?: never;
        path: {
          /** @description space name */
          space: string;
          /** @description petition name */
          petition: string;
        };
        cookie?: never;
      };
      requestBody: {
        content: {
          "application/json": {
            /** @description How long the receipt lives, as a Go duration ("5m", the default; at most 1h); never past the grant */
            ttl?: string;
          };
        };
      };
      responses: {
        /** @description Default Response */
        200: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            "application/json": components["schemas"]["ApprovalReceipt"];
          };
        };
      };
    };
    delete?: never;
    options?: never;
    head?: never;
    patch?: never;
    trace?: never;
  };
  "/v1/spaces/{space}/receipts:check": {
    parameters: {
      query?: never;
      header?: never;
      path?: never;
      cookie?: never;
    };
    get?: never;
    put?: never;
    /** Whether an approval receipt still holds: its petition still granted, the receipt and the grant unexpired */
    post: {
      parameters: {
        query?: never;
        header?: never;
        path: {
          /** @description space name */
          space: string;
        };
        cookie?: never;
      };
      requestBody: {
        content: {
          "application/json": {
            /** @description A receipt from POST …/petitions/{petition}:receipt */
            receipt: string;
          };
        };
      };
      responses: {
        /** @description Default Response */
        200: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            "application/json": components["schemas"]["ReceiptStatus"];
          };
        };
      };
    };
    delete?: never;
    options?: never;
    head?: never;
    patch?: never;
    trace?: never;
  };
  "/v1/spaces/{space}/petitions/{petition}/claims": {
    parameters: {
      query?: never;
      header?: never;
      path?: never;
      cookie?: never;
    };
    /** List a petition's events */
    get: {
      parameters: {
        query?: {
          labelSelector?: string;
          /** @description 1 to 100; default 50 */
          pageSize?: number;
          /** @description nextPageToken of the previous page */
          pageToken?: string;
        };
        header?: never;
        path: {
          /** @description space name */
          space: string;
          /** @description petition name */
          petition: string;
        };
        cookie?: never;
      };
      requestBody?: never;
      responses: {
        /** @description Default Response */
        200: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            "application/json": components["schemas"]["ClaimList"];
          };
        };
      };
    };
    put?: never;
    /**
     * Approve, deny or revoke a petition
     * @description access/approve takes its duration from meta.labels["indent.com/time/duration"] (a Go duration such as "3h0m0s"), or "indent.com/time/indefinite": "true"; without either, the petition's suggested duration or the server default applies.
     */
    post: {
      parameters: {
        query?: never;
        header?: never;
        path: {
          /** @description space name */
          space: string;
          /** @description petition name */
          petition: string;
        };
        cookie?: never;
      };
      requestBody: {
        content: {
          "application/json": {
            claim: components["schemas"]["ClaimInput"];
          };
        };
      };
      responses: {
        /** @description Default Response */
        200: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            "application/json": components["schemas"]["PetitionEvent"];
          };
        };
      };
    };
    delete?: never;
    options?: never;
    head?: never;
    patch?: never;
    trace?: never;
  };
  "/v1/spaces/{space}/petitions/{petition}/claims/{claim}": {
    parameters: {
      query?: never;
      header?: never;
      path?: never;
      cookie?: never;
    };
    /** Get one event of a petition */
    get: {
      parameters: {
        query?: never;
        header?: never;
        path: {
          /** @description space name */
          space: string;
          /** @description petition name */
          petition: string;
          /** @description claim id */
          claim: string;
        };
        cookie?: never;
      };
      requestBody?: never;
      responses: {
        /** @description Default Response */
        200: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            "application/json": components["schemas"]["PetitionEvent"];
          };
        };
      };
    };
    put?: never;
    post?: never;
    delete?: never;
    options?: never;
    head?: never;
    patch?: never;
    trace?: never;
  };
  "/v1/spaces/{space}/grants": {
    parameters: {
      query?: never;
      header?: never;
      path?: never;
      cookie?: never;
    };
    /** List grants: access held (or once held) because a petition was approved */
    get: {
      parameters: {
        query?: {
          /** @description active, expired or revoked */
          status?: string;
          /** @description only this petition's grants */
          petition?: string;
          /** @description only grants in this provisioning state (none, applying, applied, …), or failed: apply_failed or revoke_failed */
          provisioning?: string;
          /** @description 1 to 100; default 50 */
          pageSize?: number;
          /** @description nextPageToken of the previous page */
          pageToken?: string;
        };
        header?: never;
        path: {
          /** @description space name */
          space: string;
        };
        cookie?: never;
      };
      requestBody?: never;
      responses: {
        /** @description Default Response */
        200: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            "application/json": components["schemas"]["GrantList"];
          };
        };
      };
    };
    put?: never;
    post?: never;
    delete?: never;
    options?: never;
    head?: never;
    patch?: never;
    trace?: never;
  };
  "/v1/spaces/{space}/grants/{grant}": {
    parameters: {
      query?: never;
      header?: never;
      path?: never;
      cookie?: never;
    };
    /** Get a grant */
    get: {
      parameters: {
        query?: never;
        header?: never;
        path: {
          /** @description space name */
          space: string;
          /** @description grant name */
          grant: string;
        };
        cookie?: never;
      };
      requestBody?: never;
      responses: {
        /** @description Default Response */
        200: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            "application/json": components["schemas"]["Grant"];
          };
        };
      };
    };
    put?: never;
    post?: never;
    delete?: never;
    options?: never;
    head?: never;
    patch?: never;
    trace?: never;
  };
  "/v1/spaces/{space}/resources": {
    parameters: {
      query?: never;
      header?: never;
      path?: never;
      cookie?: never;
    };
    /**
     * List the space's resources
     * @description view=requestable leaves out people and deactivated resources; view=people keeps only people. labelSelector narrows either.
     */
    get: {
      parameters: {
        query?: {
          labelSelector?: string;
          /** @description requestable or people */
          view?: string;
          /** @description only resources whose id, displayName, email or name contains this text, in any case */
          search?: string;
          /** @description only resources of this kind (exactly) */
          kind?: string;
          /** @description 1 to 100; default 50 */
          pageSize?: number;
          /** @description nextPageToken of the previous page */
          pageToken?: string;
          /** @description accepted for compatibility; ignored */
          latest?: boolean;
          /** @description accepted for compatibility; ignored */
          among?: string | string[];
        };
        header?: never;
        path: {
          /** @description space name */
          space: string;
        };
        cookie?: never;
      };
      requestBody?: never;
      responses: {
        /** @description Default Response */
        200: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            "application/json": components["schemas"]["ResourceList"];
          };
        };
      };
    };
    put?: never;
    /**
     * Create a resource
     * @description Its name is labels["indent.com/block"] when given, else one is minted. 409 if a resource of the same kind and id exists.
     */
    post: {
      parameters: {
        query?: never;
        header?: never;
        path: {
          /** @description space name */
          space: string;
        };
        cookie?: never;
      };
      requestBody: {
        content: {
          "application/json": {
            resource: components["schemas"]["ResourceInput"];
            /** @description accepted for compatibility; ignored */
            ephemeral?: boolean;
          };
        };
      };
      responses: {
        /** @description Default Response */
        201: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            "application/json": components["schemas"]["Resource"];
          };
        };
      };
    };
    delete?: never;
    options?: never;
    head?: never;
    patch?: never;
    trace?: never;
  };
  "/v1/spaces/{space}/resources/{resource}": {
    parameters: {
      query?: never;
      header?: never;
      path?: never;
      cookie?: never;
    };
    /** Get a resource by name */
    get: {
      parameters: {
        query?: never;
        header?: never;
        path: {
          /** @description space name */
          space: string;
          /** @description resource name (its indent.com/block label) */
          resource: string;
        };
        cookie?: never;
      };
      requestBody?: never;
      responses: {
        /** @description Default Response */
        200: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            "application/json": components["schemas"]["Resource"];
          };
        };
      };
    };
    /** Replace a resource */
    put: {
      parameters: {
        query?: never;
        header?: never;
        path: {
          /** @description space name */
          space: string;
          /** @description resource name (its indent.com/block label) */
          resource: string;
        };
        cookie?: never;
      };
      requestBody: {
        content: {
          "application/json": {
            resource: components["schemas"]["ResourceInput"];
            /** @description accepted for compatibility; ignored */
            ephemeral?: boolean;
          };
        };
      };
      responses: {
        /** @description Default Response */
        200: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            "application/json": components["schemas"]["Resource"];
          };
        };
      };
    };
    post?: never;
    /** Delete a resource */
    delete: {
      parameters: {
        query?: never;
        header?: never;
        path: {
          /** @description space name */
          space: string;
          /** @description resource name (its indent.com/block label) */
          resource: string;
        };
        cookie?: never;
      };
      requestBody?: never;
      responses: {
        /** @description Default Response */
        200: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            "application/json": components["schemas"]["Empty"];
          };
        };
      };
    };
    options?: never;
    head?: never;
    patch?: never;
    trace?: never;
  };
  "/v1/spaces/{space}/resources:bulkUpdate": {
    parameters: {
      query?: never;
      header?: never;
      path?: never;
      cookie?: never;
    };
    get?: never;
    /** Create or update many resources by kind and id */
    put: {
      parameters: {
        query?: never;
        header?: never;
        path: {
          /** @description space name */
          space: string;
        };
        cookie?: never;
      };
      requestBody: {
        content: {
          "application/json": {
            resources: components["schemas"]["ResourceInput"][];
            opts?: {
              fields?: string[];
            };
          };
        };
      };
      responses: {
        /** @description Default Response */
        200: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            "application/json": components["schemas"]["Resources"];
          };
        };
      };
    };
    /** Create or update many resources by kind and id */
    post: {
      parameters: {
        query?: never;
        header?: never;
        path: {
          /** @description space name */
          space: string;
        };
        cookie?: never;
      };
      requestBody: {
        content: {
          "application/json": {
            resources: components["schemas"]["ResourceInput"][];
            opts?: {
              fields?: string[];
            };
          };
        };
      };
      responses: {
        /** @description Default Response */
        200: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            "application/json": components["schemas"]["Resources"];
          };
        };
      };
    };
    delete?: never;
    options?: never;
    head?: never;
    patch?: never;
    trace?: never;
  };
  "/v1/spaces/{space}/resources:bulkDelete": {
    parameters: {
      query?: never;
      header?: never;
      path?: never;
      cookie?: never;
    };
    get?: never;
    put?: never;
    /** Delete many resources by name; names that do not exist are skipped */
    post: {
      parameters: {
        query?: never;
        header?: never;
        path: {
          /** @description space name */
          space: string;
        };
        cookie?: never;
      };
      requestBody: {
        content: {
          "application/json": {
            resourceNames: string[];
          };
        };
      };
      responses: {
        /** @description Default Response */
        200: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            "application/json": components["schemas"]["Empty"];
          };
        };
      };
    };
    delete?: never;
    options?: never;
    head?: never;
    patch?: never;
    trace?: never;
  };
  "/v1/spaces": {
    parameters: {
      query?: never;
      header?: never;
      path?: never;
      cookie?: never;
    };
    /** List spaces: every space for the server's admin token, the token's own space for others */
    get: {
      parameters: {
        query?: {
          /** @description 1 to 100; default 50 */
          pageSize?: number;
          /** @description nextPageToken of the previous page */
          pageToken?: string;
          /** @description accepted for compatibility; ignored */
          parent?: string;
        };
        header?: never;
        path?: never;
        cookie?: never;
      };
      requestBody?: never;
      responses: {
        /** @description Default Response */
        200: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            "application/json": components["schemas"]["SpaceList"];
          };
        };
      };
    };
    put?: never;
    /** Create a space (server admin token only) */
    post: {
      parameters: {
        query?: never;
        header?: never;
        path?: never;
        cookie?: never;
      };
      requestBody: {
        content: {
          "application/json": {
            space: components["schemas"]["SpaceInput"];
          };
        };
      };
      responses: {
        /** @description Default Response */
        201: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            "application/json": components["schemas"]["Space"];
          };
        };
      };
    };
    delete?: never;
    options?: never;
    head?: never;
    patch?: never;
    trace?: never;
  };
  "/v1/spaces/{space}": {
    parameters: {
      query?: never;
      header?: never;
      path?: never;
      cookie?: never;
    };
    /** Get a space */
    get: {
      parameters: {
        query?: never;
        header?: never;
        path: {
          /** @description space name */
          space: string;
        };
        cookie?: never;
      };
      requestBody?: never;
      responses: {
        /** @description Default Response */
        200: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            "application/json": components["schemas"]["Space"];
          };
        };
      };
    };
    put?: never;
    post?: never;
    /** Delete a space (server admin token only); one that holds anything needs recursive=true */
    delete: {
      parameters: {
        query?: {
          /** @description also delete everything in the space */
          recursive?: boolean;
        };
        header?: never;
        path: {
          /** @description space name */
          space: string;
        };
        cookie?: never;
      };
      requestBody?: never;
      responses: {
        /** @description Default Response */
        200: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            "application/json": components["schemas"]["Empty"];
          };
        };
      };
    };
    options?: never;
    head?: never;
    /** Change a space's display name */
    patch: {
      parameters: {
        query?: never;
        header?: never;
        path: {
          /** @description space name */
          space: string;
        };
        cookie?: never;
      };
      requestBody: {
        content: {
          "application/json": {
            space: components["schemas"]["SpaceInput"];
            /** @description accepted for compatibility; ignored */
            updateMask?: unknown;
          };
        };
      };
      responses: {
        /** @description Default Response */
        200: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            "application/json": components["schemas"]["Space"];
          };
        };
      };
    };
    trace?: never;
  };
  "/v1/spaces/{space}:getPolicy": {
    parameters: {
      query?: never;
      header?: never;
      path?: never;
      cookie?: never;
    };
    get?: never;
    put?: never;
    /** Read the space's role bindings */
    post: {
      parameters: {
        query?: never;
        header?: never;
        path: {
          /** @description space name */
          space: string;
        };
        cookie?: never;
      };
      requestBody: {
        content: {
          "application/json": {
            /** @description accepted for compatibility; the URL names the space */
            resource?: string;
            /** @description ignored */
            options?: unknown;
          };
        };
      };
      responses: {
        /** @description Default Response */
        200: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            "application/json": components["schemas"]["RoleBindings"];
          };
        };
      };
    };
    delete?: never;
    options?: never;
    head?: never;
    patch?: never;
    trace?: never;
  };
  "/v1/spaces/{space}:setPolicy": {
    parameters: {
      query?: never;
      header?: never;
      path?: never;
      cookie?: never;
    };
    get?: never;
    put?: never;
    /** Replace the space's role bindings */
    post: {
      parameters: {
        query?: never;
        header?: never;
        path: {
          /** @description space name */
          space: string;
        };
        cookie?: never;
      };
      requestBody: {
        content: {
          "application/json": {
            /** @description accepted for compatibility; the URL names the space */
            resource?: string;
            policy: {
              bindings?: {
                /** @description admin, reviewer, petitioner-admin or member */
                role?: string;
                members?: string[];
              }[];
              etag?: string;
            };
          };
        };
      };
      responses: {
        /** @description Default Response */
        200: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            "application/json": components["schemas"]["RoleBindings"];
          };
        };
      };
    };
    delete?: never;
    options?: never;
    head?: never;
    patch?: never;
    trace?: never;
  };
  "/v1/spaces/{space}:addToRole": {
    parameters: {
      query?: never;
      header?: never;
      path?: never;
      cookie?: never;
    };
    get?: never;
    put?: never;
    /** Bind a member to a role */
    post: {
      parameters: {
        query?: never;
        header?: never;
        path: {
          /** @description space name */
          space: string;
        };
        cookie?: never;
      };
      /** @description name the member either as member or, as Indent did, as user (a resource) */
      requestBody: {
        content: {
          "application/json": {
            /** @description accepted for compatibility; the URL names the space */
            resource?: string;
            /** @description admin, reviewer, petitioner-admin or member */
            role: string;
            /** @description "user:alice@example.com", "group:sre" or "serviceAccount:123456" */
            member?: string;
            user?: components["schemas"]["ResourceInput"];
          };
        };
      };
      responses: {
        /** @description Default Response */
        200: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            "application/json": components["schemas"]["RoleBindings"];
          };
        };
      };
    };
    delete?: never;
    options?: never;
    head?: never;
    patch?: never;
    trace?: never;
  };
  "/v1/spaces/{space}:removeFromRole": {
    parameters: {
      query?: never;
      header?: never;
      path?: never;
      cookie?: never;
    };
    get?: never;
    put?: never;
    /** Unbind a member from a role */
    post: {
      parameters: {
        query?: never;
        header?: never;
        path: {
          /** @description space name */
          space: string;
        };
        cookie?: never;
      };
      /** @description name the member either as member or, as Indent did, as user (a resource) */
      requestBody: {
        content: {
          "application/json": {
            /** @description accepted for compatibility; the URL names the space */
            resource?: string;
            /** @description admin, reviewer, petitioner-admin or member */
            role: string;
            /** @description "user:alice@example.com", "group:sre" or "serviceAccount:123456" */
            member?: string;
            user?: components["schemas"]["ResourceInput"];
          };
        };
      };
      responses: {
        /** @description Default Response */
        200: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            "application/json": components["schemas"]["RoleBindings"];
          };
        };
      };
    };
    delete?: never;
    options?: never;
    head?: never;
    patch?: never;
    trace?: never;
  };
  "/v1/spaces/{space}/groups": {
    parameters: {
      query?: never;
      header?: never;
      path?: never;
      cookie?: never;
    };
    /** List the space's groups */
    get: {
      parameters: {
        query?: {
          /** @description 1 to 100; default 50 */
          pageSize?: number;
          /** @description nextPageToken of the previous page */
          pageToken?: string;
        };
        header?: never;
        path: {
          /** @description space name */
          space: string;
        };
        cookie?: never;
      };
      requestBody?: never;
      responses: {
        /** @description Default Response */
        200: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            "application/json": components["schemas"]["GroupList"];
          };
        };
      };
    };
    put?: never;
    /** Create a group of people (by email) */
    post: {
      parameters: {
        query?: never;
        header?: never;
        path: {
          /** @description space name */
          space: string;
        };
        cookie?: never;
      };
      requestBody: {
        content: {
          "application/json": {
            group: components["schemas"]["GroupInput"];
          };
        };
      };
      responses: {
        /** @description Default Response */
        201: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            "application/json": components["schemas"]["Group"];
          };
        };
      };
    };
    delete?: never;
    options?: never;
    head?: never;
    patch?: never;
    trace?: never;
  };
  "/v1/spaces/{space}/groups/{group}": {
    parameters: {
      query?: never;
      header?: never;
      path?: never;
      cookie?: never;
    };
    /** Get a group */
    get: {
      parameters: {
        query?: never;
        header?: never;
        path: {
          /** @description space name */
          space: string;
          /** @description group name */
          group: string;
        };
        cookie?: never;
      };
      requestBody?: never;
      responses: {
        /** @description Default Response */
        200: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            "application/json": components["schemas"]["Group"];
          };
        };
      };
    };
    /** Replace a group's display name and members */
    put: {
      parameters: {
        query?: never;
        header?: never;
        path: {
          /** @description space name */
          space: string;
          /** @description group name */
          group: string;
        };
        cookie?: never;
      };
      requestBody: {
        content: {
          "application/json": {
            group: components["schemas"]["GroupInput"];
          };
        };
      };
      responses: {
        /** @description Default Response */
        200: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            "application/json": components["schemas"]["Group"];
          };
        };
      };
    };
    post?: never;
    /** Delete a group and its role bindings */
    delete: {
      parameters: {
        query?: never;
        header?: never;
        path: {
          /** @description space name */
          space: string;
          /** @description group name */
          group: string;
        };
        cookie?: never;
      };
      requestBody?: never;
      responses: {
        /** @description Default Response */
        200: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            "application/json": components["schemas"]["Empty"];
          };
        };
      };
    };
    options?: never;
    head?: never;
    patch?: never;
    trace?: never;
  };
  "/v1/spaces/{space}/serviceAccounts": {
    parameters: {
      query?: never;
      header?: never;
      path?: never;
      cookie?: never;
    };
    /** List service accounts */
    get: {
      parameters: {
        query?: {
          /** @description 1 to 100; default 50 */
          pageSize?: number;
          /** @description nextPageToken of the previous page */
          pageToken?: string;
          showDeleted?: boolean;
        };
        header?: never;
        path: {
          /** @description space name */
          space: string;
        };
        cookie?: never;
      };
      requestBody?: never;
      responses: {
        /** @description Default Response */
        200: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            "application/json": components["schemas"]["ServiceAccountList"];
          };
        };
      };
    };
    put?: never;
    /** Create a service account, optionally bound to roles */
    post: {
      parameters: {
        query?: never;
        header?: never;
        path: {
          /** @description space name */
          space: string;
        };
        cookie?: never;
      };
      requestBody: {
        content: {
          "application/json": {
            serviceAccount: components["schemas"]["ServiceAccountInput"];
            /** @description accepted for compatibility; ignored */
            updateMask?: unknown;
          };
        };
      };
      responses: {
        /** @description Default Response */
        201: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            "application/json": components["schemas"]["ServiceAccount"];
          };
        };
      };
    };
    delete?: never;
    options?: never;
    head?: never;
    patch?: never;
    trace?: never;
  };
  "/v1/spaces/{space}/serviceAccounts/{serviceAccountId}": {
    parameters: {
      query?: never;
      header?: never;
      path?: never;
      cookie?: never;
    };
    /** Get a service account */
    get: {
      parameters: {
        query?: never;
        header?: never;
        path: {
          /** @description space name */
          space: string;
          /** @description the service account's id */
          serviceAccountId: string;
        };
        cookie?: never;
      };
      requestBody?: never;
      responses: {
        /** @description Default Response */
        200: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            "application/json": components["schemas"]["ServiceAccount"];
          };
        };
      };
    };
    put?: never;
    post?: never;
    /** Delete a service account: its tokens stop working at once */
    delete: {
      parameters: {
        query?: never;
        header?: never;
        path: {
          /** @description space name */
          space: string;
          /** @description the service account's id */
          serviceAccountId: string;
        };
        cookie?: never;
      };
      requestBody?: never;
      responses: {
        /** @description Default Response */
        200: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            "application/json": components["schemas"]["Empty"];
          };
        };
      };
    };
    options?: never;
    head?: never;
    /** Change a service account's display name, labels or roles */
    patch: {
      parameters: {
        query?: never;
        header?: never;
        path: {
          /** @description space name */
          space: string;
          /** @description the service account's id */
          serviceAccountId: string;
        };
        cookie?: never;
      };
      requestBody: {
        content: {
          "application/json": {
            serviceAccount: components["schemas"]["ServiceAccountInput"];
            /** @description accepted for compatibility; ignored */
            updateMask?: unknown;
          };
        };
      };
      responses: {
        /** @description Default Response */
        200: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            "application/json": components["schemas"]["ServiceAccount"];
          };
        };
      };
    };
    trace?: never;
  };
  "/v1/spaces/{space}/tokens": {
    parameters: {
      query?: never;
      header?: never;
      path?: never;
      cookie?: never;
    };
    /** List tokens (never their secrets) */
    get: {
      parameters: {
        query?: {
          serviceAccountId?: string;
          showDeleted?: boolean;
          /** @description 1 to 100; default 50 */
          pageSize?: number;
          /** @description nextPageToken of the previous page */
          pageToken?: string;
        };
        header?: never;
        path: {
          /** @description space name */
          space: string;
        };
        cookie?: never;
      };
      requestBody?: never;
      responses: {
        /** @description Default Response */
        200: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            "application/json": components["schemas"]["TokenList"];
          };
        };
      };
    };
    put?: never;
    /** Create a refresh token for a service account; the answer is the only time it is shown */
    post: {
      parameters: {
        query?: never;
        header?: never;
        path: {
          /** @description space name */
          space: string;
        };
        cookie?: never;
      };
      requestBody: {
        content: {
          "application/json": components["schemas"]["TokenInput"];
        };
      };
      responses: {
        /** @description Default Response */
        201: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            "application/json": components["schemas"]["Token"];
          };
        };
      };
    };
    delete?: never;
    options?: never;
    head?: never;
    patch?: never;
    trace?: never;
  };
  "/v1/spaces/{space}/tokens/{token}": {
    parameters: {
      query?: never;
      header?: never;
      path?: never;
      cookie?: never;
    };
    get?: never;
    put?: never;
    post?: never;
    /** Revoke a token: it stops working at once, as do access tokens made from it */
    delete: {
      parameters: {
        query?: never;
        header?: never;
        path: {
          /** @description space name */
          space: string;
          /** @description token name (tok_…) */
          token: string;
        };
        cookie?: never;
      };
      requestBody?: never;
      responses: {
        /** @description Default Response */
        200: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            "application/json": components["schemas"]["Empty"];
          };
        };
      };
    };
    options?: never;
    head?: never;
    patch?: never;
    trace?: never;
  };
  "/v1/spaces/{space}/userTokens": {
    parameters: {
      query?: never;
      header?: never;
      path?: never;
      cookie?: never;
    };
    get?: never;
    put?: never;
    /** Mint a short-lived access token for a person (sub = their email) */
    post: {
      parameters: {
        query?: never;
        header?: never;
        path: {
          /** @description space name */
          space: string;
        };
        cookie?: never;
      };
      requestBody: {
        content: {
          "application/json": components["schemas"]["UserTokenInput"];
        };
      };
      responses: {
        /** @description Default Response */
        201: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            "application/json": components["schemas"]["UserToken"];
          };
        };
      };
    };
    delete?: never;
    options?: never;
    head?: never;
    patch?: never;
    trace?: never;
  };
  "/v1/spaces/{space}/policy": {
    parameters: {
      query?: never;
      header?: never;
      path?: never;
      cookie?: never;
    };
    /** Get the access policy in force */
    get: {
      parameters: {
        query?: never;
        header?: never;
        path: {
          /** @description space name */
          space: string;
        };
        cookie?: never;
      };
      requestBody?: never;
      responses: {
        /** @description Default Response */
        200: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            "application/json": components["schemas"]["AccessPolicy"];
          };
        };
      };
    };
    /**
     * Save the access policy (a new version); refused with the place of the first problem
     * @description Petitions already made keep the plan they were made under. With expectedVersion the save is refused (409) if another was saved since.
     */
    put: {
      parameters: {
        query?: never;
        header?: never;
        path: {
          /** @description space name */
          space: string;
        };
        cookie?: never;
      };
      requestBody: {
        content: {
          "application/json": {
            policy: components["schemas"]["PolicyDocument"];
            /** @description save only if the policy is still at this version */
            expectedVersion?: number;
          };
        };
      };
      responses: {
        /** @description Default Response */
        200: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            "application/json": components["schemas"]["AccessPolicy"];
          };
        };
      };
    };
    post?: never;
    /** Remove the access policy: any admin or reviewer approves again */
    delete: {
      parameters: {
        query?: {
          /** @description delete only if the policy is still at this version */
          expectedVersion?: number;
        };
        header?: never;
        path: {
          /** @description space name */
          space: string;
        };
        cookie?: never;
      };
      requestBody?: never;
      responses: {
        /** @description Default Response */
        200: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            "application/json": components["schemas"]["AccessPolicy"];
          };
        };
      };
    };
    options?: never;
    head?: never;
    patch?: never;
    trace?: never;
  };
  "/v1/spaces/{space}/policy/versions": {
    parameters: {
      query?: never;
      header?: never;
      path?: never;
      cookie?: never;
    };
    /** List the policy's versions, newest first */
    get: {
      parameters: {
        query?: {
          pageSize?: number;
          pageToken?: string;
        };
        header?: never;
        path: {
          /** @description space name */
          space: string;
        };
        cookie?: never;
      };
      requestBody?: never;
      responses: {
        /** @description Default Response */
        200: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            "application/json": components["schemas"]["PolicyVersionList"];
          };
        };
      };
    };
    put?: never;
    post?: never;
    delete?: never;
    options?: never;
    head?: never;
    patch?: never;
    trace?: never;
  };
  "/v1/spaces/{space}/policy/versions/{version}": {
    parameters: {
      query?: never;
      header?: never;
      path?: never;
      cookie?: never;
    };
    /** Get one version of the policy */
    get: {
      parameters: {
        query?: never;
        header?: never;
        path: {
          /** @description space name */
          space: string;
          version: number;
        };
        cookie?: never;
      };
      requestBody?: never;
      responses: {
        /** @description Default Response */
        200: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            "application/json": components["schemas"]["AccessPolicy"];
          };
        };
      };
    };
    put?: never;
    post?: never;
    delete?: never;
    options?: never;
    head?: never;
    patch?: never;
    trace?: never;
  };
  "/v1/spaces/{space}/policies:validate": {
    parameters: {
      query?: never;
      header?: never;
      path?: never;
      cookie?: never;
    };
    get?: never;
    put?: never;
    /** Check a policy without saving it */
    post: {
      parameters: {
        query?: never;
        header?: never;
        path: {
          /** @description space name */
          space: string;
        };
        cookie?: never;
      };
      requestBody: {
        content: {
          "application/json": {
            policy: components["schemas"]["PolicyDocument"];
          };
        };
      };
      responses: {
        /** @description Default Response */
        200: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            "application/json": components["schemas"]["PolicyValidation"];
          };
        };
      };
    };
    delete?: never;
    options?: never;
    head?: never;
    patch?: never;
    trace?: never;
  };
  "/v1/spaces/{space}/policies:explain": {
    parameters: {
      query?: never;
      header?: never;
      path?: never;
      cookie?: never;
    };
    get?: never;
    put?: never;
    /**
     * Explain what the policy (or a draft) does with a petition or a possible request
     * @description Which rules applied to each petitioner and resource and why the others did not, whether it would be approved or denied at once, and who may review it. On-call providers are asked; decision webhooks are listed, not called.
     */
    post: {
      parameters: {
        query?: never;
        header?: never;
        path: {
          /** @description space name */
          space: string;
        };
        cookie?: never;
      };
      requestBody: {
        content: {
          "application/json": components["schemas"]["ExplainInput"];
        };
      };
      responses: {
        /** @description Default Response */
        200: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            "application/json": components["schemas"]["PolicyExplanation"];
          };
        };
      };
    };
    delete?: never;
    options?: never;
    head?: never;
    patch?: never;
    trace?: never;
  };
  "/v1/spaces/{space}/policies:replay": {
    parameters: {
      query?: never;
      header?: never;
      path?: never;
      cookie?: never;
    };
    get?: never;
    put?: never;
    /** Replay the latest petitions through a draft policy, changing nothing */
    post: {
      parameters: {
        query?: never;
        header?: never;
        path: {
          /** @description space name */
          space: string;
        };
        cookie?: never;
      };
      requestBody: {
        content: {
          "application/json": components["schemas"]["ReplayInput"];
        };
      };
      responses: {
        /** @description Default Response */
        200: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            "application/json": components["schemas"]["PolicyReplay"];
          };
        };
      };
    };
    delete?: never;
    options?: never;
    head?: never;
    patch?: never;
    trace?: never;
  };
  "/v1/spaces/{space}/onCallProviders": {
    parameters: {
      query?: never;
      header?: never;
      path?: never;
      cookie?: never;
    };
    /** List on-call providers, with their health */
    get: {
      parameters: {
        query?: never;
        header?: never;
        path: {
          /** @description space name */
          space: string;
        };
        cookie?: never;
      };
      requestBody?: never;
      responses: {
        /** @description Default Response */
        200: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            "application/json": components["schemas"]["OnCallProviderList"];
          };
        };
      };
    };
    put?: never;
    /** Add an on-call provider */
    post: {
      parameters: {
        query?: never;
        header?: never;
        path: {
          /** @description space name */
          space: string;
        };
        cookie?: never;
      };
      requestBody: {
        content: {
          "application/json": {
            provider: components["schemas"]["OnCallProviderInput"];
          };
        };
      };
      responses: {
        /** @description Default Response */
        201: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            "application/json": components["schemas"]["OnCallProvider"];
          };
        };
      };
    };
    delete?: never;
    options?: never;
    head?: never;
    patch?: never;
    trace?: never;
  };
  "/v1/spaces/{space}/onCallProviders/{provider}": {
    parameters: {
      query?: never;
      header?: never;
      path?: never;
      cookie?: never;
    };
    /** Get an on-call provider */
    get: {
      parameters: {
        query?: never;
        header?: never;
        path: {
          /** @description space name */
          space: string;
          /** @description the provider's name */
          provider: string;
        };
        cookie?: never;
      };
      requestBody?: never;
      responses: {
        /** @description Default Response */
        200: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            "application/json": components["schemas"]["OnCallProvider"];
          };
        };
      };
    };
    /** Change an on-call provider (its API key is kept unless a new one is given) */
    put: {
      parameters: {
        query?: never;
        header?: never;
        path: {
          /** @description space name */
          space: string;
          /** @description the provider's name */
          provider: string;
        };
        cookie?: never;
      };
      requestBody: {
        content: {
          "application/json": {
            provider: components["schemas"]["OnCallProviderInput"];
          };
        };
      };
      responses: {
        /** @description Default Response */
        200: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            "application/json": components["schemas"]["OnCallProvider"];
          };
        };
      };
    };
    post?: never;
    /** Remove an on-call provider */
    delete: {
      parameters: {
        query?: never;
        header?: never;
        path: {
          /** @description space name */
          space: string;
          /** @description the provider's name */
          provider: string;
        };
        cookie?: never;
      };
      requestBody?: never;
      responses: {
        /** @description Default Response */
        200: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            "application/json": components["schemas"]["Empty"];
          };
        };
      };
    };
    options?: never;
    head?: never;
    patch?: never;
    trace?: never;
  };
  "/v1/spaces/{space}/webhooks": {
    parameters: {
      query?: never;
      header?: never;
      path?: never;
      cookie?: never;
    };
    /** List webhooks */
    get: {
      parameters: {
        query?: {
          /** @description 1 to 100; default 50 */
          pageSize?: number;
          /** @description nextPageToken of the previous page */
          pageToken?: string;
        };
        header?: never;
        path: {
          /** @description space name */
          space: string;
        };
        cookie?: never;
      };
      requestBody?: never;
      responses: {
        /** @description Default Response */
        200: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            "application/json": components["schemas"]["WebhookList"];
          };
        };
      };
    };
    put?: never;
    /** Create a webhook; its signing secret is in this answer only */
    post: {
      parameters: {
        query?: never;
        header?: never;
        path: {
          /** @description space name */
          space: string;
        };
        cookie?: never;
      };
      requestBody: {
        content: {
          "application/json": {
            webhook: components["schemas"]["WebhookInput"];
          };
        };
      };
      responses: {
        /** @description Default Response */
        201: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            "application/json": components["schemas"]["Webhook"];
          };
        };
      };
    };
    delete?: never;
    options?: never;
    head?: never;
    patch?: never;
    trace?: never;
  };
  "/v1/spaces/{space}/webhooks/{webhook}": {
    parameters: {
      query?: never;
      header?: never;
      path?: never;
      cookie?: never;
    };
    /** Get a webhook */
    get: {
      parameters: {
        query?: never;
        header?: never;
        path: {
          /** @description space name */
          space: string;
          /** @description the webhook's name */
          webhook: string;
        };
        cookie?: never;
      };
      requestBody?: never;
      responses: {
        /** @description Default Response */
        200: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            "application/json": components["schemas"]["Webhook"];
          };
        };
      };
    };
    put?: never;
    post?: never;
    /** Delete a webhook */
    delete: {
      parameters: {
        query?: never;
        header?: never;
        path: {
          /** @description space name */
          space: string;
          /** @description the webhook's name */
          webhook: string;
        };
        cookie?: never;
      };
      requestBody?: never;
      responses: {
        /** @description Default Response */
        200: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            "application/json": components["schemas"]["Empty"];
          };
        };
      };
    };
    options?: never;
    head?: never;
    /** Change the given fields of a webhook */
    patch: {
      parameters: {
        query?: never;
        header?: never;
        path: {
          /** @description space name */
          space: string;
          /** @description the webhook's name */
          webhook: string;
        };
        cookie?: never;
      };
      requestBody: {
        content: {
          "application/json": {
            webhook: components["schemas"]["WebhookInput"];
          };
        };
      };
      responses: {
        /** @description Default Response */
        200: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            "application/json": components["schemas"]["Webhook"];
          };
        };
      };
    };
    trace?: never;
  };
  "/v1/spaces/{space}/webhookPolicies": {
    parameters: {
      query?: never;
      header?: never;
      path?: never;
      cookie?: never;
    };
    /** List webhook policies */
    get: {
      parameters: {
        query?: never;
        header?: never;
        path: {
          /** @description space name */
          space: string;
        };
        cookie?: never;
      };
      requestBody?: never;
      responses: {
        /** @description Default Response */
        200: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            "application/json": components["schemas"]["WebhookPolicyList"];
          };
        };
      };
    };
    put?: never;
    /** Create a webhook policy: which decision webhooks run for which petitions */
    post: {
      parameters: {
        query?: never;
        header?: never;
        path: {
          /** @description space name */
          space: string;
        };
        cookie?: never;
      };
      requestBody: {
        content: {
          "application/json": {
            webhookPolicy: components["schemas"]["WebhookPolicyInput"];
          };
        };
      };
      responses: {
        /** @description Default Response */
        201: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            "application/json": components["schemas"]["WebhookPolicy"];
          };
        };
      };
    };
    delete?: never;
    options?: never;
    head?: never;
    patch?: never;
    trace?: never;
  };
  "/v1/spaces/{space}/webhookPolicies/{policy}": {
    parameters: {
      query?: never;
      header?: never;
      path?: never;
      cookie?: never;
    };
    /** Get a webhook policy */
    get: {
      parameters: {
        query?: never;
        header?: never;
        path: {
          /** @description space name */
          space: string;
          /** @description the webhook policy's name */
          policy: string;
        };
        cookie?: never;
      };
      requestBody?: never;
      responses: {
        /** @description Default Response */
        200: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            "application/json": components["schemas"]["WebhookPolicy"];
          };
        };
      };
    };
    /** Replace a webhook policy */
    put: {
      parameters: {
        query?: never;
        header?: never;
        path: {
          /** @description space name */
          space: string;
          /** @description the webhook policy's name */
          policy: string;
        };
        cookie?: never;
      };
      requestBody: {
        content: {
          "application/json": {
            webhookPolicy: components["schemas"]["WebhookPolicyInput"];
          };
        };
      };
      responses: {
        /** @description Default Response */
        200: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            "application/json": components["schemas"]["WebhookPolicy"];
          };
        };
      };
    };
    post?: never;
    /** Delete a webhook policy */
    delete: {
      parameters: {
        query?: never;
        header?: never;
        path: {
          /** @description space name */
          space: string;
          /** @description the webhook policy's name */
          policy: string;
        };
        cookie?: never;
      };
      requestBody?: never;
      responses: {
        /** @description Default Response */
        200: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            "application/json": components["schemas"]["Empty"];
          };
        };
      };
    };
    options?: never;
    head?: never;
    patch?: never;
    trace?: never;
  };
  "/v1/spaces/{space}/subscriptions": {
    parameters: {
      query?: never;
      header?: never;
      path?: never;
      cookie?: never;
    };
    /** List event subscriptions */
    get: {
      parameters: {
        query?: {
          /** @description 1 to 100; default 50 */
          pageSize?: number;
          /** @description nextPageToken of the previous page */
          pageToken?: string;
        };
        header?: never;
        path: {
          /** @description space name */
          space: string;
        };
        cookie?: never;
      };
      requestBody?: never;
      responses: {
        /** @description Default Response */
        200: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            "application/json": components["schemas"]["SubscriptionList"];
          };
        };
      };
    };
    put?: never;
    /** Subscribe a URL to events; its signing secret is in this answer only */
    post: {
      parameters: {
        query?: never;
        header?: never;
        path: {
          /** @description space name */
          space: string;
        };
        cookie?: never;
      };
      requestBody: {
        content: {
          "application/json": {
            subscription: components["schemas"]["SubscriptionInput"];
          };
        };
      };
      responses: {
        /** @description Default Response */
        201: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            "application/json": components["schemas"]["Subscription"];
          };
        };
      };
    };
    delete?: never;
    options?: never;
    head?: never;
    patch?: never;
    trace?: never;
  };
  "/v1/spaces/{space}/subscriptions/{subscription}": {
    parameters: {
      query?: never;
      header?: never;
      path?: never;
      cookie?: never;
    };
    /** Get an event subscription */
    get: {
      parameters: {
        query?: never;
        header?: never;
        path: {
          /** @description space name */
          space: string;
          /** @description the subscription's name */
          subscription: string;
        };
        cookie?: never;
      };
      requestBody?: never;
      responses: {
        /** @description Default Response */
        200: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            "application/json": components["schemas"]["Subscription"];
          };
        };
      };
    };
    put?: never;
    post?: never;
    /** Delete an event subscription; what it had pending is given up */
    delete: {
      parameters: {
        query?: never;
        header?: never;
        path: {
          /** @description space name */
          space: string;
          /** @description the subscription's name */
          subscription: string;
        };
        cookie?: never;
      };
      requestBody?: never;
      responses: {
        /** @description Default Response */
        200: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            "application/json": components["schemas"]["Empty"];
          };
        };
      };
    };
    options?: never;
    head?: never;
    /** Change the given fields of an event subscription */
    patch: {
      parameters: {
        query?: never;
        header?: never;
        path: {
          /** @description space name */
          space: string;
          /** @description the subscription's name */
          subscription: string;
        };
        cookie?: never;
      };
      requestBody: {
        content: {
          "application/json": {
            subscription: components["schemas"]["SubscriptionInput"];
          };
        };
      };
      responses: {
        /** @description Default Response */
        200: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            "application/json": components["schemas"]["Subscription"];
          };
        };
      };
    };
    trace?: never;
  };
  "/v1/spaces/{space}/deliveries": {
    parameters: {
      query?: never;
      header?: never;
      path?: never;
      cookie?: never;
    };
    /** Every delivery about one petition (?petition=), to any webhook, subscription or Slack, newest first */
    get: {
      parameters: {
        query: {
          /** @description pending, delivered, failed or cancelled; failed lists the failures */
          status?: string;
          /** @description 1 to 100; default 50 */
          pageSize?: number;
          /** @description nextPageToken of the previous page */
          pageToken?: string;
          /** @description the petition (pet_…) whose deliveries to list */
          petition: string;
        };
        header?: never;
        path: {
          /** @description space name */
          space: string;
        };
        cookie?: never;
      };
      requestBody?: never;
      responses: {
        /** @description Default Response */
        200: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            "application/json": components["schemas"]["DeliveryList"];
          };
        };
      };
    };
    put?: never;
    post?: never;
    delete?: never;
    options?: never;
    head?: never;
    patch?: never;
    trace?: never;
  };
  "/v1/spaces/{space}/webhooks/{webhook}/deliveries": {
    parameters: {
      query?: never;
      header?: never;
      path?: never;
      cookie?: never;
    };
    /** A webhook's deliveries, newest first */
    get: {
      parameters: {
        query?: {
          /** @description pending, delivered, failed or cancelled; failed lists the failures */
          status?: string;
          /** @description 1 to 100; default 50 */
          pageSize?: number;
          /** @description nextPageToken of the previous page */
          pageToken?: string;
        };
        header?: never;
        path: {
          /** @description space name */
          space: string;
          /** @description the webhook's name */
          webhook: string;
        };
        cookie?: never;
      };
      requestBody?: never;
      responses: {
        /** @description Default Response */
        200: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            "application/json": components["schemas"]["DeliveryList"];
          };
        };
      };
    };
    put?: never;
    post?: never;
    delete?: never;
    options?: never;
    head?: never;
    patch?: never;
    trace?: never;
  };
  "/v1/spaces/{space}/webhooks/{webhook}/deliveries/{delivery}": {
    parameters: {
      query?: never;
      header?: never;
      path?: never;
      cookie?: never;
    };
    /** One delivery of a webhook: what is sent and each attempt */
    get: {
      parameters: {
        query?: never;
        header?: never;
        path: {
          /** @description space name */
          space: string;
          /** @description the webhook's name */
          webhook: string;
          /** @description msg_… */
          delivery: string;
        };
        cookie?: never;
      };
      requestBody?: never;
      responses: {
        /** @description Default Response */
        200: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            "application/json": components["schemas"]["Delivery"];
          };
        };
      };
    };
    put?: never;
    post?: never;
    delete?: never;
    options?: never;
    head?: never;
    patch?: never;
    trace?: never;
  };
  "/v1/spaces/{space}/webhooks/{webhook}/deliveries/{delivery}:redeliver": {
    parameters: {
      query?: never;
      header?: never;
      path?: never;
      cookie?: never;
    };
    get?: never;
    put?: never;
    /** Send a failed or waiting delivery again now */
    post: {
      parameters: {
        query?: never;
        header?: never;
        path: {
          /** @description space name */
          space: string;
          /** @description the webhook's name */
          webhook: string;
          /** @description msg_… */
          delivery: string;
        };
        cookie?: never;
      };
      requestBody?: never;
      responses: {
        /** @description Default Response */
        200: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            "application/json": components["schemas"]["Delivery"];
          };
        };
      };
    };
    delete?: never;
    options?: never;
    head?: never;
    patch?: never;
    trace?: never;
  };
  "/v1/spaces/{space}/subscriptions/{subscription}/deliveries": {
    parameters: {
      query?: never;
      header?: never;
      path?: never;
      cookie?: never;
    };
    /** An event subscription's deliveries, newest first */
    get: {
      parameters: {
        query?: {
          /** @description pending, delivered, failed or cancelled; failed lists the failures */
          status?: string;
          /** @description 1 to 100; default 50 */
          pageSize?: number;
          /** @description nextPageToken of the previous page */
          pageToken?: string;
        };
        header?: never;
        path: {
          /** @description space name */
          space: string;
          /** @description the subscription's name */
          subscription: string;
        };
        cookie?: never;
      };
      requestBody?: never;
      responses: {
        /** @description Default Response */
        200: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            "application/json": components["schemas"]["DeliveryList"];
          };
        };
      };
    };
    put?: never;
    post?: never;
    delete?: never;
    options?: never;
    head?: never;
    patch?: never;
    trace?: never;
  };
  "/v1/spaces/{space}/subscriptions/{subscription}/deliveries/{delivery}": {
    parameters: {
      query?: never;
      header?: never;
      path?: never;
      cookie?: never;
    };
    /** One delivery of an event subscription: what is sent and each attempt */
    get: {
      parameters: {
        query?: never;
        header?: never;
        path: {
          /** @description space name */
          space: string;
          /** @description the subscription's name */
          subscription: string;
          /** @description msg_… */
          delivery: string;
        };
        cookie?: never;
      };
      requestBody?: never;
      responses: {
        /** @description Default Response */
        200: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            "application/json": components["schemas"]["Delivery"];
          };
        };
      };
    };
    put?: never;
    post?: never;
    delete?: never;
    options?: never;
    head?: never;
    patch?: never;
    trace?: never;
  };
  "/v1/spaces/{space}/subscriptions/{subscription}/deliveries/{delivery}:redeliver": {
    parameters: {
      query?: never;
      header?: never;
      path?: never;
      cookie?: never;
    };
    get?: never;
    put?: never;
    /** Send a failed or waiting delivery again now */
    post: {
      parameters: {
        query?: never;
        header?: never;
        path: {
          /** @description space name */
          space: string;
          /** @description the subscription's name */
          subscription: string;
          /** @description msg_… */
          delivery: string;
        };
        cookie?: never;
      };
      requestBody?: never;
      responses: {
        /** @description Default Response */
        200: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            "application/json": components["schemas"]["Delivery"];
          };
        };
      };
    };
    delete?: never;
    options?: never;
    head?: never;
    patch?: never;
    trace?: never;
  };
  "/v1/spaces/{space}/resources:pullUpdate": {
    parameters: {
      query?: never;
      header?: never;
      path?: never;
      cookie?: never;
    };
    get?: never;
    /** Ask the pullUpdate webhooks for resources of some kinds, and create or update what they return */
    put: {
      parameters: {
        query?: never;
        header?: never;
        path: {
          /** @description space name */
          space: string;
        };
        cookie?: never;
      };
      requestBody: {
        content: {
          "application/json": components["schemas"]["PullInput"];
        };
      };
      responses: {
        /** @description Default Response */
        200: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            "application/json": components["schemas"]["PullOutcome"];
          };
        };
      };
    };
    /** Ask the pullUpdate webhooks for resources of some kinds, and create or update what they return */
    post: {
      parameters: {
        query?: never;
        header?: never;
        path: {
          /** @description space name */
          space: string;
        };
        cookie?: never;
      };
      requestBody: {
        content: {
          "application/json": components["schemas"]["PullInput"];
        };
      };
      responses: {
        /** @description Default Response */
        200: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            "application/json": components["schemas"]["PullOutcome"];
          };
        };
      };
    };
    delete?: never;
    options?: never;
    head?: never;
    patch?: never;
    trace?: never;
  };
  "/v1/spaces/{space}/pullPolicies": {
    parameters: {
      query?: never;
      header?: never;
      path?: never;
      cookie?: never;
    };
    /** List pull policies */
    get: {
      parameters: {
        query?: never;
        header?: never;
        path: {
          /** @description space name */
          space: string;
        };
        cookie?: never;
      };
      requestBody?: never;
      responses: {
        /** @description Default Response */
        200: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            "application/json": components["schemas"]["PullPolicyList"];
          };
        };
      };
    };
    put?: never;
    /** Create a pull policy: a PullUpdate of some kinds on a schedule */
    post: {
      parameters: {
        query?: never;
        header?: never;
        path: {
          /** @description space name */
          space: string;
        };
        cookie?: never;
      };
      requestBody: {
        content: {
          "application/json": {
            pullPolicy: components["schemas"]["PullPolicyInput"];
          };
        };
      };
      responses: {
        /** @description Default Response */
        201: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            "application/json": components["schemas"]["PullPolicy"];
          };
        };
      };
    };
    delete?: never;
    options?: never;
    head?: never;
    patch?: never;
    trace?: never;
  };
  "/v1/spaces/{space}/pullPolicies/{policy}": {
    parameters: {
      query?: never;
      header?: never;
      path?: never;
      cookie?: never;
    };
    /** Get a pull policy and its last run */
    get: {
      parameters: {
        query?: never;
        header?: never;
        path: {
          /** @description space name */
          space: string;
          /** @description the pull policy's name */
          policy: string;
        };
        cookie?: never;
      };
      requestBody?: never;
      responses: {
        /** @description Default Response */
        200: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            "application/json": components["schemas"]["PullPolicy"];
          };
        };
      };
    };
    /** Replace a pull policy */
    put: {
      parameters: {
        query?: never;
        header?: never;
        path: {
          /** @description space name */
          space: string;
          /** @description the pull policy's name */
          policy: string;
        };
        cookie?: never;
      };
      requestBody: {
        content: {
          "application/json": {
            pullPolicy: components["schemas"]["PullPolicyInput"];
          };
        };
      };
      responses: {
        /** @description Default Response */
        200: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            "application/json": components["schemas"]["PullPolicy"];
          };
        };
      };
    };
    post?: never;
    /** Delete a pull policy */
    delete: {
      parameters: {
        query?: never;
        header?: never;
        path: {
          /** @description space name */
          space: string;
          /** @description the pull policy's name */
          policy: string;
        };
        cookie?: never;
      };
      requestBody?: never;
      responses: {
        /** @description Default Response */
        200: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            "application/json": components["schemas"]["Empty"];
          };
        };
      };
    };
    options?: never;
    head?: never;
    patch?: never;
    trace?: never;
  };
  "/v1/spaces/{space}/pullPolicies/{policy}:run": {
    parameters: {
      query?: never;
      header?: never;
      path?: never;
      cookie?: never;
    };
    get?: never;
    put?: never;
    /** Run a pull policy now; its schedule goes on as before */
    post: {
      parameters: {
        query?: never;
        header?: never;
        path: {
          /** @description space name */
          space: string;
          /** @description the pull policy's name */
          policy: string;
        };
        cookie?: never;
      };
      requestBody?: never;
      responses: {
        /** @description Default Response */
        200: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            "application/json": components["schemas"]["PullPolicy"];
          };
        };
      };
    };
    delete?: never;
    options?: never;
    head?: never;
    patch?: never;
    trace?: never;
  };
  "/v1/spaces/{space}/slack": {
    parameters: {
      query?: never;
      header?: never;
      path?: never;
      cookie?: never;
    };
    /** The space's Slack app (secrets shown only as hints) */
    get: {
      parameters: {
        query?: never;
        header?: never;
        path: {
          /** @description space name */
          space: string;
        };
        cookie?: never;
      };
      requestBody?: never;
      responses: {
        /** @description Default Response */
        200: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            "application/json": components["schemas"]["SlackApp"];
          };
        };
      };
    };
    /** Set up or change the space's Slack app */
    put: {
      parameters: {
        query?: never;
        header?: never;
        path: {
          /** @description space name */
          space: string;
        };
        cookie?: never;
      };
      requestBody: {
        content: {
          "application/json": {
            slack: components["schemas"]["SlackAppInput"];
          };
        };
      };
      responses: {
        /** @description Default Response */
        200: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            "application/json": components["schemas"]["SlackApp"];
          };
        };
      };
    };
    post?: never;
    /** Remove the space's Slack app */
    delete: {
      parameters: {
        query?: never;
        header?: never;
        path: {
          /** @description space name */
          space: string;
        };
        cookie?: never;
      };
      requestBody?: never;
      responses: {
        /** @description Default Response */
        200: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            "application/json": components["schemas"]["Empty"];
          };
        };
      };
    };
    options?: never;
    head?: never;
    patch?: never;
    trace?: never;
  };
  "/v1/spaces/{space}/slack/manifest": {
    parameters: {
      query?: never;
      header?: never;
      path?: never;
      cookie?: never;
    };
    /** The Slack app manifest for this space, to create the app from (api.slack.com/apps → From a manifest) */
    get: {
      parameters: {
        query?: {
          /** @description json (default) or yaml */
          format?: "json" | "yaml";
        };
        header?: never;
        path: {
          /** @description space name */
          space: string;
        };
        cookie?: never;
      };
      requestBody?: never;
      responses: {
        /** @description Default Response */
        200: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            "application/json": unknown;
          };
        };
      };
    };
    put?: never;
    post?: never;
    delete?: never;
    options?: never;
    head?: never;
    patch?: never;
    trace?: never;
  };
  "/v1/spaces/{space}/slack:test": {
    parameters: {
      query?: never;
      header?: never;
      path?: never;
      cookie?: never;
    };
    get?: never;
    put?: never;
    /** Check the bot token with Slack (auth.test) */
    post: {
      parameters: {
        query?: never;
        header?: never;
        path: {
          /** @description space name */
          space: string;
        };
        cookie?: never;
      };
      requestBody?: never;
      responses: {
        /** @description Default Response */
        200: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            "application/json": components["schemas"]["SlackTestResult"];
          };
        };
      };
    };
    delete?: never;
    options?: never;
    head?: never;
    patch?: never;
    trace?: never;
  };
  "/v1/spaces/{space}/slack/deliveries": {
    parameters: {
      query?: never;
      header?: never;
      path?: never;
      cookie?: never;
    };
    /** The Slack calls made and to be made, newest first */
    get: {
      parameters: {
        query?: {
          /** @description pending, delivered, failed or cancelled; failed lists the failures */
          status?: string;
          /** @description 1 to 100; default 50 */
          pageSize?: number;
          /** @description nextPageToken of the previous page */
          pageToken?: string;
        };
        header?: never;
        path: {
          /** @description space name */
          space: string;
        };
        cookie?: never;
      };
      requestBody?: never;
      responses: {
        /** @description Default Response */
        200: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            "application/json": components["schemas"]["DeliveryList"];
          };
        };
      };
    };
    put?: never;
    post?: never;
    delete?: never;
    options?: never;
    head?: never;
    patch?: never;
    trace?: never;
  };
  "/v1/spaces/{space}/slack/deliveries/{delivery}": {
    parameters: {
      query?: never;
      header?: never;
      path?: never;
      cookie?: never;
    };
    /** One Slack call and each attempt */
    get: {
      parameters: {
        query?: never;
        header?: never;
        path: {
          /** @description space name */
          space: string;
          /** @description msg_… */
          delivery: string;
        };
        cookie?: never;
      };
      requestBody?: never;
      responses: {
        /** @description Default Response */
        200: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            "application/json": components["schemas"]["Delivery"];
          };
        };
      };
    };
    put?: never;
    post?: never;
    delete?: never;
    options?: never;
    head?: never;
    patch?: never;
    trace?: never;
  };
  "/v1/spaces/{space}/slack/deliveries/{delivery}:redeliver": {
    parameters: {
      query?: never;
      header?: never;
      path?: never;
      cookie?: never;
    };
    get?: never;
    put?: never;
    /** Make a failed or waiting Slack call again now */
    post: {
      parameters: {
        query?: never;
        header?: never;
        path: {
          /** @description space name */
          space: string;
          /** @description msg_… */
          delivery: string;
        };
        cookie?: never;
      };
      requestBody?: never;
      responses: {
        /** @description Default Response */
        200: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            "application/json": components["schemas"]["Delivery"];
          };
        };
      };
    };
    delete?: never;
    options?: never;
    head?: never;
    patch?: never;
    trace?: never;
  };
  "/v1/spaces/{space}/audit": {
    parameters: {
      query?: never;
      header?: never;
      path?: never;
      cookie?: never;
    };
    /** Search the space's audit log, newest first */
    get: {
      parameters: {
        query?: {
          /** @description server: only the server's own events; input: only those applications wrote through inputs */
          writer?: "server" | "input";
          /** @description the actor's email or id */
          actor?: string;
          /** @description a resource the event names, by id or email */
          resource?: string;
          /** @description an event name, or a prefix ending in "*" ("access/*") */
          event?: string;
          /** @description leaves out this event name, or a prefix ending in "*" ("token/*") */
          excludeEvent?: string;
          /** @description the request that wrote it */
          requestId?: string;
          /** @description RFC 3339: events at or after */
          startTime?: string;
          /** @description RFC 3339: events before */
          endTime?: string;
          /** @description 1 to 100; default 50 */
          pageSize?: number;
          /** @description nextPageToken of the previous page */
          pageToken?: string;
        };
        header?: never;
        path: {
          /** @description space name */
          space: string;
        };
        cookie?: never;
      };
      requestBody?: never;
      responses: {
        /** @description Default Response */
        200: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            "application/json": components["schemas"]["AuditEventList"];
          };
        };
      };
    };
    put?: never;
    post?: never;
    delete?: never;
    options?: never;
    head?: never;
    patch?: never;
    trace?: never;
  };
  "/v1/spaces/{space}/audit:export": {
    parameters: {
      query?: never;
      header?: never;
      path?: never;
      cookie?: never;
    };
    /** Export the space's audit log, oldest first, as JSONL (each line verifiable) or CSV, streamed */
    get: {
      parameters: {
        query?: {
          /** @description server: only the server's own events; input: only those applications wrote through inputs */
          writer?: "server" | "input";
          /** @description the actor's email or id */
          actor?: string;
          /** @description a resource the event names, by id or email */
          resource?: string;
          /** @description an event name, or a prefix ending in "*" ("access/*") */
          event?: string;
          /** @description leaves out this event name, or a prefix ending in "*" ("token/*") */
          excludeEvent?: string;
          /** @description the request that wrote it */
          requestId?: string;
          /** @description RFC 3339: events at or after */
          startTime?: string;
          /** @description RFC 3339: events before */
          endTime?: string;
          /** @description 1 to 100; default 50 */
          pageSize?: number;
          /** @description nextPageToken of the previous page */
          pageToken?: string;
          /** @description jsonl (default) or csv */
          format?: "jsonl" | "csv";
        };
        header?: never;
        path: {
          /** @description space name */
          space: string;
        };
        cookie?: never;
      };
      requestBody?: never;
      responses: {
        /** @description JSONL lines (application/x-ndjson) or CSV rows (text/csv), streamed */
        200: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            "application/json": string;
          };
        };
      };
    };
    put?: never;
    post?: never;
    delete?: never;
    options?: never;
    head?: never;
    patch?: never;
    trace?: never;
  };
  "/v1/spaces/{space}/audit:verify": {
    parameters: {
      query?: never;
      header?: never;
      path?: never;
      cookie?: never;
    };
    get?: never;
    put?: never;
    /** Recompute the space's audit chain and check it against its chained, signed checkpoints; names the first fault */
    post: {
      parameters: {
        query?: never;
        header?: never;
        path: {
          /** @description space name */
          space: string;
        };
        cookie?: never;
      };
      requestBody?: never;
      responses: {
        /** @description Default Response */
        200: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            "application/json": components["schemas"]["AuditVerifyReport"];
          };
        };
      };
    };
    delete?: never;
    options?: never;
    head?: never;
    patch?: never;
    trace?: never;
  };
  "/v1/spaces/{space}/audit/checkpoints": {
    parameters: {
      query?: never;
      header?: never;
      path?: never;
      cookie?: never;
    };
    /** Signed checkpoints of the space's audit chain, newest first */
    get: {
      parameters: {
        query?: {
          /** @description 1 to 100; default 50 */
          pageSize?: number;
          /** @description nextPageToken of the previous page */
          pageToken?: string;
        };
        header?: never;
        path: {
          /** @description space name */
          space: string;
        };
        cookie?: never;
      };
      requestBody?: never;
      responses: {
        /** @description Default Response */
        200: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            "application/json": components["schemas"]["AuditCheckpointList"];
          };
        };
      };
    };
    put?: never;
    post?: never;
    delete?: never;
    options?: never;
    head?: never;
    patch?: never;
    trace?: never;
  };
  "/v1/audit": {
    parameters: {
      query?: never;
      header?: never;
      path?: never;
      cookie?: never;
    };
    /** Search the server's audit log, newest first */
    get: {
      parameters: {
        query?: {
          /** @description server: only the server's own events; input: only those applications wrote through inputs */
          writer?: "server" | "input";
          /** @description the actor's email or id */
          actor?: string;
          /** @description a resource the event names, by id or email */
          resource?: string;
          /** @description an event name, or a prefix ending in "*" ("access/*") */
          event?: string;
          /** @description leaves out this event name, or a prefix ending in "*" ("token/*") */
          excludeEvent?: string;
          /** @description the request that wrote it */
          requestId?: string;
          /** @description RFC 3339: events at or after */
          startTime?: string;
          /** @description RFC 3339: events before */
          endTime?: string;
          /** @description 1 to 100; default 50 */
          pageSize?: number;
          /** @description nextPageToken of the previous page */
          pageToken?: string;
        };
        header?: never;
        path?: never;
        cookie?: never;
      };
      requestBody?: never;
      responses: {
        /** @description Default Response */
        200: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            "application/json": components["schemas"]["AuditEventList"];
          };
        };
      };
    };
    put?: never;
    post?: never;
    delete?: never;
    options?: never;
    head?: never;
    patch?: never;
    trace?: never;
  };
  "/v1/audit:export": {
    parameters: {
      query?: never;
      header?: never;
      path?: never;
      cookie?: never;
    };
    /** Export the server's audit log, oldest first, as JSONL (each line verifiable) or CSV, streamed */
    get: {
      parameters: {
        query?: {
          /** @description server: only the server's own events; input: only those applications wrote through inputs */
          writer?: "server" | "input";
          /** @description the actor's email or id */
          actor?: string;
          /** @description a resource the event names, by id or email */
          resource?: string;
          /** @description an event name, or a prefix ending in "*" ("access/*") */
          event?: string;
          /** @description leaves out this event name, or a prefix ending in "*" ("token/*") */
          excludeEvent?: string;
          /** @description the request that wrote it */
          requestId?: string;
          /** @description RFC 3339: events at or after */
          startTime?: string;
          /** @description RFC 3339: events before */
          endTime?: string;
          /** @description 1 to 100; default 50 */
          pageSize?: number;
          /** @description nextPageToken of the previous page */
          pageToken?: string;
          /** @description jsonl (default) or csv */
          format?: "jsonl" | "csv";
        };
        header?: never;
        path?: never;
        cookie?: never;
      };
      requestBody?: never;
      responses: {
        /** @description JSONL lines (application/x-ndjson) or CSV rows (text/csv), streamed */
        200: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            "application/json": string;
          };
        };
      };
    };
    put?: never;
    post?: never;
    delete?: never;
    options?: never;
    head?: never;
    patch?: never;
    trace?: never;
  };
  "/v1/audit:verify": {
    parameters: {
      query?: never;
      header?: never;
      path?: never;
      cookie?: never;
    };
    get?: never;
    put?: never;
    /** Recompute the server's audit chain and check it against its chained, signed checkpoints; names the first fault */
    post: {
      parameters: {
        query?: never;
        header?: never;
        path?: never;
        cookie?: never;
      };
      requestBody?: never;
      responses: {
        /** @description Default Response */
        200: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            "application/json": components["schemas"]["AuditVerifyReport"];
          };
        };
      };
    };
    delete?: never;
    options?: never;
    head?: never;
    patch?: never;
    trace?: never;
  };
  "/v1/audit/checkpoints": {
    parameters: {
      query?: never;
      header?: never;
      path?: never;
      cookie?: never;
    };
    /** Signed checkpoints of the server's audit chain, newest first */
    get: {
      parameters: {
        query?: {
          /** @description 1 to 100; default 50 */
          pageSize?: number;
          /** @description nextPageToken of the previous page */
          pageToken?: string;
        };
        header?: never;
        path?: never;
        cookie?: never;
      };
      requestBody?: never;
      responses: {
        /** @description Default Response */
        200: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            "application/json": components["schemas"]["AuditCheckpointList"];
          };
        };
      };
    };
    put?: never;
    post?: never;
    delete?: never;
    options?: never;
    head?: never;
    patch?: never;
    trace?: never;
  };
  "/v1/audit/keys": {
    parameters: {
      query?: never;
      header?: never;
      path?: never;
      cookie?: never;
    };
    /** The public keys (JWKS) that verify audit checkpoints */
    get: {
      parameters: {
        query?: never;
        header?: never;
        path?: never;
        cookie?: never;
      };
      requestBody?: never;
      responses: {
        /** @description Default Response */
        200: {
          headers: {
            [name: string]: unknown;
          };
          content?: never;
        };
      };
    };
    put?: never;
    post?: never;
    delete?: never;
    options?: never;
    head?: never;
    patch?: never;
    trace?: never;
  };
  "/v1/spaces/{space}/audit/settings": {
    parameters: {
      query?: never;
      header?: never;
      path?: never;
      cookie?: never;
    };
    /** How long the space keeps audit events */
    get: {
      parameters: {
        query?: never;
        header?: never;
        path: {
          /** @description space name */
          space: string;
        };
        cookie?: never;
      };
      requestBody?: never;
      responses: {
        /** @description Default Response */
        200: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            "application/json": components["schemas"]["AuditSettings"];
          };
        };
      };
    };
    /** Set how long the space keeps audit events */
    put: {
      parameters: {
        query?: never;
        header?: never;
        path: {
          /** @description space name */
          space: string;
        };
        cookie?: never;
      };
      requestBody: {
        content: {
          "application/json": {
            settings: {
              /** @description how long events are kept ("8760h"); empty or null: for ever */
              retention?: string | null;
            };
          };
        };
      };
      responses: {
        /** @description Default Response */
        200: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            "application/json": components["schemas"]["AuditSettings"];
          };
        };
      };
    };
    post?: never;
    delete?: never;
    options?: never;
    head?: never;
    patch?: never;
    trace?: never;
  };
  "/v1/spaces/{space}/auditInputs": {
    parameters: {
      query?: never;
      header?: never;
      path?: never;
      cookie?: never;
    };
    /** The inputs applications write audit events through */
    get: {
      parameters: {
        query?: never;
        header?: never;
        path: {
          /** @description space name */
          space: string;
        };
        cookie?: never;
      };
      requestBody?: never;
      responses: {
        /** @description Default Response */
        200: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            "application/json": components["schemas"]["AuditInputList"];
          };
        };
      };
    };
    put?: never;
    /** Add an input; its write token is shown once */
    post: {
      parameters: {
        query?: never;
        header?: never;
        path: {
          /** @description space name */
          space: string;
        };
        cookie?: never;
      };
      requestBody: {
        content: {
          "application/json": {
            input: components["schemas"]["AuditInputInput"];
          };
        };
      };
      responses: {
        /** @description Default Response */
        201: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            "application/json": components["schemas"]["AuditInput"];
          };
        };
      };
    };
    delete?: never;
    options?: never;
    head?: never;
    patch?: never;
    trace?: never;
  };
  "/v1/spaces/{space}/auditInputs/{provider}/{input}": {
    parameters: {
      query?: never;
      header?: never;
      path?: never;
      cookie?: never;
    };
    get?: never;
    put?: never;
    post?: never;
    /** Remove an input: its token stops working */
    delete: {
      parameters: {
        query?: never;
        header?: never;
        path: {
          space: string;
          provider: string;
          input: string;
        };
        cookie?: never;
      };
      requestBody?: never;
      responses: {
        /** @description Default Response */
        200: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            "application/json": components["schemas"]["Empty"];
          };
        };
      };
    };
    options?: never;
    head?: never;
    patch?: never;
    trace?: never;
  };
  "/v1/inputs/{space}/{provider}/{target}": {
    parameters: {
      query?: never;
      header?: never;
      path?: never;
      cookie?: never;
    };
    get?: never;
    put?: never;
    /** Write events through an input: {input}:write takes one Event, {input}:writeBatch takes {events} (Indent's WriteBatch, and what @indent/audit sends) */
    post: {
      parameters: {
        query?: never;
        header?: never;
        path: {
          space: string;
          provider: string;
          /** @description "{input}:write" or "{input}:writeBatch" */
          target: string;
        };
        cookie?: never;
      };
      requestBody: {
        content: {
          "application/json":
            | {
                events: components["schemas"]["IncomingEvent"][];
                /** @description accepted for compatibility: events are always written before the answer */
                async?: boolean;
                target?: unknown;
                inputName?: string;
              }
            | components["schemas"]["IncomingEvent"];
        };
      };
      responses: {
        /** @description Default Response */
        200: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            "application/json": components["schemas"]["WriteResult"];
          };
        };
      };
    };
    delete?: never;
    options?: never;
    head?: never;
    patch?: never;
    trace?: never;
  };
  "/v1/slack/{space}/interactions": {
    parameters: {
      query?: never;
      header?: never;
      path?: never;
      cookie?: never;
    };
    get?: never;
    put?: never;
    /** Slack's interactivity requests (signed by Slack) */
    post: {
      parameters: {
        query?: never;
        header?: never;
        path: {
          space: string;
        };
        cookie?: never;
      };
      requestBody?: never;
      responses: {
        /** @description Default Response */
        200: {
          headers: {
            [name: string]: unknown;
          };
          content?: never;
        };
      };
    };
    delete?: never;
    options?: never;
    head?: never;
    patch?: never;
    trace?: never;
  };
  "/v1/slack/{space}/commands": {
    parameters: {
      query?: never;
      header?: never;
      path?: never;
      cookie?: never;
    };
    get?: never;
    put?: never;
    /** Slack's /greenlight slash command (signed by Slack) */
    post: {
      parameters: {
        query?: never;
        header?: never;
        path: {
          space: string;
        };
        cookie?: never;
      };
      requestBody?: never;
      responses: {
        /** @description Default Response */
        200: {
          headers: {
            [name: string]: unknown;
          };
          content?: never;
        };
      };
    };
    delete?: never;
    options?: never;
    head?: never;
    patch?: never;
    trace?: never;
  };
  "/auth/login": {
    parameters: {
      query?: never;
      header?: never;
      path?: never;
      cookie?: never;
    };
    /** Sign in with the identity provider (redirects there) */
    get: {
      parameters: {
        query?: {
          returnTo?: string;
          /** @description true: the provider signs the person in again (prompt=login, max_age), for high-risk approvals */
          stepUp?: "true" | "false";
        };
        header?: never;
        path?: never;
        cookie?: never;
      };
      requestBody?: never;
      responses: {
        /** @description Default Response */
        200: {
          headers: {
            [name: string]: unknown;
          };
          content?: never;
        };
      };
    };
    put?: never;
    post?: never;
    delete?: never;
    options?: never;
    head?: never;
    patch?: never;
    trace?: never;
  };
  "/auth/callback": {
    parameters: {
      query?: never;
      header?: never;
      path?: never;
      cookie?: never;
    };
    /** Where the identity provider sends the browser back */
    get: {
      parameters: {
        query?: never;
        header?: never;
        path?: never;
        cookie?: never;
      };
      requestBody?: never;
      responses: {
        /** @description Default Response */
        200: {
          headers: {
            [name: string]: unknown;
          };
          content?: never;
        };
      };
    };
    put?: never;
    post?: never;
    delete?: never;
    options?: never;
    head?: never;
    patch?: never;
    trace?: never;
  };
  "/auth/link": {
    parameters: {
      query?: never;
      header?: never;
      path?: never;
      cookie?: never;
    };
    /** A one-time sign-in link: a page whose button signs in */
    get: {
      parameters: {
        query: {
          token: string;
        };
        header?: never;
        path?: never;
        cookie?: never;
      };
      requestBody?: never;
      responses: {
        /** @description Default Response */
        200: {
          headers: {
            [name: string]: unknown;
          };
          content?: never;
        };
      };
    };
    put?: never;
    /** Use a one-time sign-in link */
    post: {
      parameters: {
        query?: never;
        header?: never;
        path?: never;
        cookie?: never;
      };
      requestBody: {
        content: {
          "application/json": {
            token: string;
          };
        };
      };
      responses: {
        /** @description Default Response */
        200: {
          headers: {
            [name: string]: unknown;
          };
          content?: never;
        };
      };
    };
    delete?: never;
    options?: never;
    head?: never;
    patch?: never;
    trace?: never;
  };
  "/auth/logout": {
    parameters: {
      query?: never;
      header?: never;
      path?: never;
      cookie?: never;
    };
    get?: never;
    put?: never;
    /** Sign out: the session ends */
    post: {
      parameters: {
        query?: never;
        header?: never;
        path?: never;
        cookie?: never;
      };
      requestBody?: never;
      responses: {
        /** @description Default Response */
        200: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            "application/json": components["schemas"]["Empty"];
          };
        };
      };
    };
    delete?: never;
    options?: never;
    head?: never;
    patch?: never;
    trace?: never;
  };
  "/v1/auth/signInOptions": {
    parameters: {
      query?: never;
      header?: never;
      path?: never;
      cookie?: never;
    };
    /** How people sign in to this server's web UI */
    get: {
      parameters: {
        query?: never;
        header?: never;
        path?: never;
        cookie?: never;
      };
      requestBody?: never;
      responses: {
        /** @description Default Response */
        200: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            "application/json": components["schemas"]["SignInOptions"];
          };
        };
      };
    };
    put?: never;
    post?: never;
    delete?: never;
    options?: never;
    head?: never;
    patch?: never;
    trace?: never;
  };
  "/v1/auth/session": {
    parameters: {
      query?: never;
      header?: never;
      path?: never;
      cookie?: never;
    };
    /** Who is signed in in this browser, and the spaces they hold a role in */
    get: {
      parameters: {
        query?: never;
        header?: never;
        path?: never;
        cookie?: never;
      };
      requestBody?: never;
      responses: {
        /** @description Default Response */
        200: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            "application/json": components["schemas"]["Session"];
          };
        };
      };
    };
    put?: never;
    post?: never;
    delete?: never;
    options?: never;
    head?: never;
    patch?: never;
    trace?: never;
  };
  "/v1/auth/session:token": {
    parameters: {
      query?: never;
      header?: never;
      path?: never;
      cookie?: never;
    };
    get?: never;
    put?: never;
    /** An access token for one space, for the signed-in person (the web UI's way to call the API) */
    post: {
      parameters: {
        query?: never;
        header?: never;
        path?: never;
        cookie?: never;
      };
      requestBody: {
        content: {
          "application/json": {
            space: string;
          };
        };
      };
      responses: {
        /** @description Default Response */
        200: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            "application/json": components["schemas"]["SessionToken"];
          };
        };
      };
    };
    delete?: never;
    options?: never;
    head?: never;
    patch?: never;
    trace?: never;
  };
  "/v1/auth/signInLinks": {
    parameters: {
      query?: never;
      header?: never;
      path?: never;
      cookie?: never;
    };
    get?: never;
    put?: never;
    /** Make a one-time sign-in link for a person (server admin token only) */
    post: {
      parameters: {
        query?: never;
        header?: never;
        path?: never;
        cookie?: never;
      };
      requestBody: {
        content: {
          "application/json": {
            email: string;
            /** @description e.g. "15m" (default), at most 24h */
            ttl?: string;
          };
        };
      };
      responses: {
        /** @description Default Response */
        201: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            "application/json": components["schemas"]["SignInLink"];
          };
        };
      };
    };
    delete?: never;
    options?: never;
    head?: never;
    patch?: never;
    trace?: never;
  };
  "/v1/auth/passkeys": {
    parameters: {
      query?: never;
      header?: never;
      path?: never;
      cookie?: never;
    };
    /** The signed-in person's passkeys */
    get: {
      parameters: {
        query?: never;
        header?: never;
        path?: never;
        cookie?: never;
      };
      requestBody?: never;
      responses: {
        /** @description Default Response */
        200: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            "application/json": {
              passkeys: components["schemas"]["Passkey"][];
            };
          };
        };
      };
    };
    put?: never;
    /** Add the passkey the authenticator made (needs a recent strong sign-in) */
    post: {
      parameters: {
        query?: never;
        header?: never;
        path?: never;
        cookie?: never;
      };
      requestBody: {
        content: {
          "application/json": {
            /** @description the authenticator's answer, as @simplewebauthn/browser gives it */
            response: {
              [key: string]: unknown;
            };
            /** @description a name to tell the passkey by */
            name?: string;
          };
        };
      };
      responses: {
        /** @description Default Response */
        201: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            "application/json": components["schemas"]["Passkey"];
          };
        };
      };
    };
    delete?: never;
    options?: never;
    head?: never;
    patch?: never;
    trace?: never;
  };
  "/v1/auth/passkeys:registrationOptions": {
    parameters: {
      query?: never;
      header?: never;
      path?: never;
      cookie?: never;
    };
    get?: never;
    put?: never;
    /** Start adding a passkey (needs a recent strong sign-in) */
    post: {
      parameters: {
        query?: never;
        header?: never;
        path?: never;
        cookie?: never;
      };
      requestBody?: never;
      responses: {
        /** @description options for @simplewebauthn/browser */
        200: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            "application/json": unknown;
          };
        };
      };
    };
    delete?: never;
    options?: never;
    head?: never;
    patch?: never;
    trace?: never;
  };
  "/v1/auth/passkeys/{id}": {
    parameters: {
      query?: never;
      header?: never;
      path?: never;
      cookie?: never;
    };
    get?: never;
    put?: never;
    post?: never;
    /** Remove one of the signed-in person's passkeys (needs a recent strong sign-in) */
    delete: {
      parameters: {
        query?: never;
        header?: never;
        path: {
          id: string;
        };
        cookie?: never;
      };
      requestBody?: never;
      responses: {
        /** @description Default Response */
        200: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            "application/json": components["schemas"]["Empty"];
          };
        };
      };
    };
    options?: never;
    head?: never;
    patch?: never;
    trace?: never;
  };
  "/v1/auth/session:stepUpOptions": {
    parameters: {
      query?: never;
      header?: never;
      path?: never;
      cookie?: never;
    };
    get?: never;
    put?: never;
    /** Start signing in again with a passkey, for high-risk approvals */
    post: {
      parameters: {
        query?: never;
        header?: never;
        path?: never;
        cookie?: never;
      };
      requestBody?: never;
      responses: {
        /** @description options for @simplewebauthn/browser */
        200: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            "application/json": unknown;
          };
        };
      };
    };
    delete?: never;
    options?: never;
    head?: never;
    patch?: never;
    trace?: never;
  };
  "/v1/auth/session:stepUp": {
    parameters: {
      query?: never;
      header?: never;
      path?: never;
      cookie?: never;
    };
    get?: never;
    put?: never;
    /** Sign in again with a passkey: the session records a strong sign-in now; mint a new access token to use it */
    post: {
      parameters: {
        query?: never;
        header?: never;
        path?: never;
        cookie?: never;
      };
      requestBody: {
        content: {
          "application/json": {
            /** @description the authenticator's answer, as @simplewebauthn/browser gives it */
            response: {
              [key: string]: unknown;
            };
            /** @description a name to tell the passkey by */
            name?: string;
          };
        };
      };
      responses: {
        /** @description high-risk approvals need a recent strong sign-in: what this session has, and how to get one */
        200: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            "application/json": components["schemas"]["StepUpStatus"];
          };
        };
      };
    };
    delete?: never;
    options?: never;
    head?: never;
    patch?: never;
    trace?: never;
  };
  "/v1/auth/token": {
    parameters: {
      query?: never;
      header?: never;
      path?: never;
      cookie?: never;
    };
    /** Exchange the refresh token sent as the bearer for an access token */
    get: {
      parameters: {
        query?: never;
        header?: never;
        path?: never;
        cookie?: never;
      };
      requestBody?: never;
      responses: {
        /** @description Default Response */
        200: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            "application/json": components["schemas"]["AccessToken"];
          };
        };
      };
    };
    put?: never;
    /** Exchange a refresh token for a short-lived access token */
    post: {
      parameters: {
        query?: never;
        header?: never;
        path?: never;
        cookie?: never;
      };
      requestBody: {
        content: {
          "application/json": {
            /** @description refresh_token */
            grantType?: string;
            refreshToken?: string;
          };
        };
      };
      responses: {
        /** @description Default Response */
        200: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            "application/json": components["schemas"]["AccessToken"];
          };
        };
      };
    };
    delete?: never;
    options?: never;
    head?: never;
    patch?: never;
    trace?: never;
  };
  "/v1/auth/keys": {
    parameters: {
      query?: never;
      header?: never;
      path?: never;
      cookie?: never;
    };
    /** The public keys access tokens are signed with (JWKS) */
    get: {
      parameters: {
        query?: never;
        header?: never;
        path?: never;
        cookie?: never;
      };
      requestBody?: never;
      responses: {
        /** @description Default Response */
        200: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            "application/json": components["schemas"]["Jwks"];
          };
        };
      };
    };
    put?: never;
    post?: never;
    delete?: never;
    options?: never;
    head?: never;
    patch?: never;
    trace?: never;
  };
  "/v1/auth/keys:rotate": {
    parameters: {
      query?: never;
      header?: never;
      path?: never;
      cookie?: never;
    };
    get?: never;
    put?: never;
    /** Sign new tokens with a new key (server admin token only); tokens signed before stay valid, unless revokeOtherKeys removes the other keys */
    post: {
      parameters: {
        query?: never;
        header?: never;
        path?: never;
        cookie?: never;
      };
      requestBody: {
        content: {
          "application/json": {
            /** @description also remove every other key now: tokens and receipts they signed stop verifying at once (for a key that may be known to someone else) */
            revokeOtherKeys?: boolean;
          } | null;
        };
      };
      responses: {
        /** @description Default Response */
        200: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            "application/json": components["schemas"]["Jwks"];
          };
        };
      };
    };
    delete?: never;
    options?: never;
    head?: never;
    patch?: never;
    trace?: never;
  };
}
export type webhooks = Record<string, never>;
export interface components {
  schemas: {
    /** AccessPolicy */
    AccessPolicy: {
      /** @description 0 when the space never had a policy */
      version: number;
      /** @description null: no policy; any admin or reviewer approves */
      policy: components["schemas"]["PolicyDocument"] | null;
      /** @description RFC 3339 timestamp */
      createTime?: string;
      createdBy?: string;
    };
    /** AccessToken */
    AccessToken: {
      access_token: string;
      accessToken: string;
      /** @enum {string} */
      token_type: "Bearer";
      /** @enum {string} */
      tokenType: "Bearer";
      expires_in: number;
      expiresIn: number;
      /** @description RFC 3339 timestamp */
      expireTime: string;
      scope: string;
      space: string;
    };
    /** ApprovalReceipt */
    ApprovalReceipt: {
      /** @description The JWT (typ greenlight-receipt+jwt, ES256); verify with GET /v1/auth/keys */
      receipt: string;
      petitionName: string;
      /** @description SHA-256 (hex) of the canonical JSON of {tool, arguments} */
      operationHash: string;
      expireTime: string;
    };
    /** AuditCheckpoint */
    AuditCheckpoint: {
      seq: number;
      hash: string;
      /** @description its place in the chain's sequence of checkpoints, from 1 */
      index?: number;
      /** @description SHA-256 (hex) of the previous checkpoint's jws; 64 zeros for the first */
      prev?: string;
      signTime: string;
      kid: string;
      /** @description compact JWS (EdDSA) over {space, spaceId, seq, hash, time, index, prev}; verify with GET /v1/audit/keys */
      jws: string;
    };
    /** AuditCheckpointList */
    AuditCheckpointList: {
      checkpoints: components["schemas"]["AuditCheckpoint"][];
      nextPageToken: string;
      /** @description the longest an event may wait for a checkpoint that covers it (a Go duration); verifiers hold the log to it */
      maxCheckpointDelay: string;
    };
    /** AuditEvent */
    AuditEvent: {
      seq: number;
      prevHash: string;
      hash: string;
      id: string;
      event: string;
      timestamp: string;
      actor: components["schemas"]["Resource"];
      resources: components["schemas"]["Resource"][];
      reason: string;
      externalId?: string;
      sessionId?: string;
      meta: {
        space: string;
        labels: {
          [key: string]: string;
        };
      };
      /** @description set by the server: who wrote the event into the chain, and when; hashed with the rest */
      provenance:
        | {
            /** @enum {string} */
            writer: "server";
            /** @description when the server received it (timestamp is when the event says it happened) */
            receiveTime: string;
          }
        | {
            /** @enum {string} */
            writer: "input";
            /** @description the input that wrote it: provider/name */
            input: string;
            /** @description when the server received it (timestamp is when the event says it happened) */
            receiveTime: string;
          };
    };
    /** AuditEventList */
    AuditEventList: {
      events: components["schemas"]["AuditEvent"][];
      nextPageToken: string;
    };
    /** AuditFault */
    AuditFault: {
      seq: number;
      /**
       * @description altered, missing, reordered, broken-link, checkpoint-mismatch, checkpoint-missing or uncovered
       * @enum {string}
       */
      problem: "altered" | "missing" | "reordered" | "broken-link" | "checkpoint-mismatch" | "checkpoint-missing" | "uncovered";
      message: string;
    };
    /** AuditInput */
    AuditInput: {
      provider: string;
      name: string;
      spaceName: string;
      displayName: string;
      tokenHint: string;
      /** @description shown once: send it as Authorization: Bearer */
      token?: string;
      writeUrl: string;
      createTime: string;
      lastWriteTime?: string;
    };
    /** AuditInputInput */
    AuditInputInput: {
      provider?: string;
      name?: string;
      displayName?: string;
    };
    /** AuditInputList */
    AuditInputList: {
      inputs: components["schemas"]["AuditInput"][];
    };
    /** AuditSettings */
    AuditSettings: {
      retention: string | null;
    };
    /** AuditVerifyReport */
    AuditVerifyReport: {
      valid: boolean;
      checkedEvents: number;
      fromSeq: number;
      head: {
        seq: number;
        hash: string;
      };
      checkpointsChecked: number;
      latestCheckpointSeq: number | null;
      firstFault?: components["schemas"]["AuditFault"];
    };
    /**
     * ClaimInput
     * @description access/approve, access/deny or access/revoke; actor and timestamp are set by the server
     */
    ClaimInput: {
      event: string;
      reason?: string;
      resources?: components["schemas"]["ResourceInput"][];
      meta?: components["schemas"]["MetaInput"];
      /** @description RFC 3339 timestamp */
      timestamp?: string;
      id?: string;
      externalId?: string;
      sessionId?: string;
      actor?: components["schemas"]["ResourceInput"];
      _original?: string;
    };
    /** ClaimList */
    ClaimList: {
      claims: components["schemas"]["PetitionEvent"][];
      nextPageToken: string;
    };
    /** Delivery */
    Delivery: {
      /** @description msg_… */
      id: string;
      receiver: {
        /**
         * @description webhook, subscription or slack
         * @enum {string}
         */
        kind: "webhook" | "subscription" | "slack";
        name: string;
      };
      /** @description access/grant, access/revoke, or a subscription event type */
      event: string;
      petition?: string;
      grant?: string;
      /**
       * @description pending, delivered, failed or cancelled
       * @enum {string}
       */
      status: "pending" | "delivered" | "failed" | "cancelled";
      attempts: number;
      /** @description RFC 3339 timestamp */
      createTime: string;
      /** @description RFC 3339 timestamp */
      nextAttemptTime?: string;
      /** @description access/grant: a revoke is sent once its grant's start has been */
      waitingFor?: string;
      /** @description RFC 3339 timestamp */
      lastAttemptTime?: string;
      /** @description the HTTP status of the last answer */
      lastStatus?: number;
      lastError?: string;
      /** @description RFC 3339 timestamp */
      deliveredTime?: string;
      /** @description what is sent (in the answer for one delivery) */
      body?: unknown;
      attemptLog?: components["schemas"]["DeliveryAttempt"][];
    };
    /** DeliveryAttempt */
    DeliveryAttempt: {
      attempt: number;
      /** @description RFC 3339 timestamp */
      time: string;
      durationMs: number;
      status?: number;
      error?: string;
      /** @description the start of the receiver's answer */
      response?: string;
    };
    /** DeliveryList */
    DeliveryList: {
      deliveries: components["schemas"]["Delivery"][];
      nextPageToken: string;
    };
    /**
     * DurationInput
     * @description A duration, as a string or as {seconds, nanos}
     */
    DurationInput:
      | string
      | {
          seconds?: number | string;
          nanos?: number;
        };
    /** Empty */
    Empty: Record<string, never>;
    /** Error */
    Error: {
      error: {
        code: string;
        message: string;
        requestId: string;
        field?: string;
      };
    };
    /** ExplainInput */
    ExplainInput: {
      /** @description an existing petition's name */
      petition?: string;
      request?: components["schemas"]["PetitionInput"];
      policy?: components["schemas"]["PolicyDocument"];
    };
    /** ExplainedPlan */
    ExplainedPlan: {
      policyVersion: number | null;
      rules: string[];
      steps: {
        name: string;
        rule: string;
        approvals: number;
        allowSelfApproval: boolean;
        reviewers: {
          users: string[];
          groups: string[];
          roles: string[];
          managerLabel: string | null;
          serviceAccounts: string[];
          bots: string[];
        };
        eligible: string[];
        approvedBy?: string[];
      }[];
      maxDuration: string;
      defaultDuration: string;
      allowIndefinite: boolean;
      pendingTimeout: string | null;
      escalations: {
        after: string;
        notify: {
          users: string[];
          groups: string[];
          channels: string[];
          reviewers: boolean;
        };
      }[];
      notify: {
        users: string[];
        groups: string[];
        channels: string[];
        reviewers: boolean;
      };
      /** @description Decided only in the web UI, after a fresh sign-in */
      highRisk: boolean;
    };
    /** ExtendPetitionInput */
    ExtendPetitionInput: {
      /** @description why more time is needed; by default a reason naming the petition extended */
      reason?: string;
      duration?: components["schemas"]["DurationInput"];
    };
    /** Grant */
    Grant: {
      name: string;
      spaceName: string;
      petitionName: string;
      petitioner: components["schemas"]["Resource"];
      resource: components["schemas"]["Resource"];
      /**
       * @description active; expired or revoked once over, shown only after every integration acknowledged the end (revoke_pending until then, revoke_failed if one gave up)
       * @enum {string}
       */
      status: "active" | "expired" | "revoked" | "revoke_pending" | "revoke_failed";
      /**
       * @description none, applying, applied, apply_failed, revoking, revoked or revoke_failed
       * @enum {string}
       */
      provisioning: "none" | "applying" | "applied" | "apply_failed" | "revoking" | "revoked" | "revoke_failed";
      startTime: string;
      /** @description absent when access lasts until revoked */
      expireTime?: string;
      endTime?: string;
    };
    /** GrantList */
    GrantList: {
      grants: components["schemas"]["Grant"][];
      nextPageToken: string;
    };
    /** Group */
    Group: {
      name: string;
      displayName: string;
      members: string[];
      /** @description RFC 3339 timestamp */
      createTime: string;
      /** @description RFC 3339 timestamp */
      updateTime: string;
    };
    /** GroupInput */
    GroupInput: {
      name?: string;
      displayName?: string;
      /** @description emails */
      members?: string[];
    };
    /** GroupList */
    GroupList: {
      groups: components["schemas"]["Group"][];
      nextPageToken: string;
    };
    /** Health */
    Health: {
      /** @enum {string} */
      status: "ok";
    };
    /**
     * IncomingEvent
     * @description Indent's Event
     */
    IncomingEvent: {
      event?: string;
      id?: string;
      externalId?: string;
      sessionId?: string;
      reason?: string;
      timestamp?: string;
      actor?: components["schemas"]["ResourceInput"];
      resources?: components["schemas"]["ResourceInput"][];
      meta?: components["schemas"]["MetaInput"];
      /** @description accepted for compatibility; not kept */
      _original?: string;
    };
    /** Jwks */
    Jwks: {
      keys: {
        [key: string]: unknown;
      }[];
    };
    /** LabelSelector */
    LabelSelector: {
      /** @description Labels: string keys to string values */
      matchLabels?: {
        [key: string]: string;
      };
      matchExpressions?: {
        key: string;
        /** @description In, NotIn, Exists or DoesNotExist */
        operator: string;
        values?: string[];
      }[];
    };
    /** MetaInput */
    MetaInput: {
      name?: string;
      space?: string;
      displayName?: string;
      /** @description Labels: string keys to string values */
      labels?: {
        [key: string]: string;
      };
      /** @description RFC 3339 timestamp */
      createTime?: string;
      /** @description RFC 3339 timestamp */
      updateTime?: string;
      /** @description RFC 3339 timestamp */
      deleteTime?: string;
      /** @description RFC 3339 timestamp */
      expireTime?: string;
      /** @description RFC 3339 timestamp */
      startTime?: string;
      /** @description RFC 3339 timestamp */
      endTime?: string;
    };
    /** Notify */
    Notify: {
      users: string[];
      groups: string[];
      channels: string[];
      reviewers: boolean;
    };
    /** OnCallProvider */
    OnCallProvider: {
      name: string;
      kind: string;
      baseUrl: string;
      settings: components["schemas"]["OnCallSettings"];
      apiKeyHint: string;
      /** @description RFC 3339 timestamp */
      createTime: string;
      /** @description RFC 3339 timestamp */
      updateTime: string;
      /** @description RFC 3339 timestamp */
      lastSuccessTime?: string;
      lastError?: string;
      /** @description RFC 3339 timestamp */
      lastErrorTime?: string;
      healthy: boolean;
    };
    /** OnCallProviderInput */
    OnCallProviderInput: {
      name?: string;
      /** @description pagerduty, opsgenie or incidentio */
      kind?: string;
      /** @description the provider's API address (default: its public API) */
      baseUrl?: string;
      /** @description written, never read back */
      apiKey?: string;
      settings?: components["schemas"]["OnCallSettings"];
    };
    /** OnCallProviderList */
    OnCallProviderList: {
      providers: components["schemas"]["OnCallProvider"][];
    };
    /** OnCallSettings */
    OnCallSettings: {
      /** @description PagerDuty schedule ids; Opsgenie names or ids */
      schedules?: string[];
      /** @description incident.io role names or shortforms */
      roles?: string[];
      /** @description incident.io: also people who posted an update */
      approveParticipants?: boolean;
      /** @description PagerDuty (default 1) */
      windowBeforeMinutes?: number;
      /** @description PagerDuty (default 5) */
      windowAfterMinutes?: number;
    };
    /** Passkey */
    Passkey: {
      /** @description the credential id */
      id: string;
      name: string;
      /** Format: date-time */
      createTime: string;
      /** Format: date-time */
      lastUseTime?: string;
    };
    /** Petition */
    Petition: {
      name: string;
      spaceName: string;
      meta: {
        name: string;
        space: string;
        labels: {
          [key: string]: string;
        };
        createTime: string;
        updateTime: string;
        startTime?: string;
        expireTime?: string;
        endTime?: string;
        deleteTime?: string;
      };
      petitioners: components["schemas"]["Resource"][];
      resources: components["schemas"]["Resource"][];
      reason: string;
      defaultDuration?: string;
      state: {
        status: {
          /**
           * @description open, granted or closed (revoked is never reported; see outcome)
           * @enum {string}
           */
          phase: "open" | "granted" | "revoked" | "closed";
          /**
           * @description why a closed petition ended: denied, cancelled, timed_out, revoked or expired
           * @enum {string}
           */
          outcome?: "denied" | "cancelled" | "timed_out" | "revoked" | "expired";
        };
        eventHistory: components["schemas"]["PetitionEvent"][];
        messages: unknown[];
        review?: components["schemas"]["Review"];
      };
    };
    /** PetitionEvent */
    PetitionEvent: {
      id: string;
      event: string;
      actor: components["schemas"]["Resource"];
      reason?: string;
      resources: components["schemas"]["Resource"][];
      timestamp: string;
      meta: {
        labels: {
          [key: string]: string;
        };
      };
    };
    /** PetitionInput */
    PetitionInput: {
      name?: string;
      spaceName?: string;
      meta?: components["schemas"]["MetaInput"];
      petitioners?: components["schemas"]["ResourceInput"][];
      resources?: components["schemas"]["ResourceInput"][];
      defaultDuration?: components["schemas"]["DurationInput"];
      reason?: string;
      state?: {
        status?: {
          phase?: string;
          outcome?: string;
        };
        /** @description ignored on input */
        eventHistory?: unknown[];
        /** @description ignored on input */
        messages?: unknown[];
        /** @description ignored on input */
        review?: unknown;
      };
      /** @description ignored */
      block?: unknown;
    };
    /** PetitionList */
    PetitionList: {
      petitions: components["schemas"]["Petition"][];
      nextPageToken: string;
    };
    /** PetitionPreview */
    PetitionPreview: {
      /**
       * @description approve or deny: a rule would decide it at once; review: it would wait for people. On-call providers and decision webhooks are not asked
       * @enum {string}
       */
      outcome: "approve" | "deny" | "review";
      review: components["schemas"]["Review"];
    };
    /** PolicyDocument */
    PolicyDocument: {
      description?: string;
      rules: components["schemas"]["PolicyRule"][];
      defaults?: {
        review?: components["schemas"]["PolicyStep"][];
        duration?: components["schemas"]["PolicyDurationLimits"];
        notify?: components["schemas"]["PolicyNotify"];
        /** @description A Go duration such as "6h", "30m" or "1h30m" */
        pendingTimeout?: string;
        escalations?: components["schemas"]["PolicyEscalation"][];
      };
    };
    /** PolicyDurationLimits */
    PolicyDurationLimits: {
      /** @description A Go duration such as "6h", "30m" or "1h30m" */
      default?: string;
      /** @description A Go duration such as "6h", "30m" or "1h30m" */
      max?: string;
      allowIndefinite?: boolean;
    };
    /** PolicyEscalation */
    PolicyEscalation: {
      /** @description A Go duration such as "6h", "30m" or "1h30m" */
      after: string;
      notify: components["schemas"]["PolicyNotify"];
    };
    /** PolicyExplanation */
    PolicyExplanation: {
      policyVersion: number | null;
      draft: boolean;
      /**
       * @description approve, deny (at once) or review (needs people)
       * @enum {string}
       */
      outcome: "approve" | "deny" | "review";
      reason: string;
      decidedBy: string | null;
      pairs: {
        petitioner: string;
        resource: string;
        /** @enum {string} */
        result: "deny" | "require" | "approve" | "default";
        rules: {
          rule: string;
          matched: boolean;
          held: string[];
          failed?: string;
          conditionError?: string;
          effect?: string;
        }[];
      }[];
      /** @description rule tests past the first 2,000, whose traces are left out (their pairs list no rules, only their result) */
      omittedTraces: number;
      plan: components["schemas"]["ExplainedPlan"];
      onCall: {
        provider: string;
        kind: string;
        email: string;
        onCall: boolean | null;
        detail: string;
        cached: boolean;
      }[];
      webhooks: {
        webhook: string;
        policies: string[];
        result: string;
        detail: string;
      }[];
      petition?: {
        name: string;
        /** @enum {string} */
        phase: "open" | "granted" | "revoked" | "closed";
        /** @enum {string} */
        outcome?: "denied" | "cancelled" | "timed_out" | "revoked" | "expired";
        madeUnder: components["schemas"]["ExplainedPlan"] | null;
        approvedBy: string[];
      };
    };
    /** PolicyNotify */
    PolicyNotify: {
      /** @description Emails of people to tell */
      users?: string[];
      /** @description Groups of the space whose members to tell */
      groups?: string[];
      /** @description Chat channels to post to, e.g. Slack channel ids or #names */
      channels?: string[];
      /** @description Also tell the eligible reviewers (default true) */
      reviewers?: boolean;
    };
    /** PolicyReplay */
    PolicyReplay: {
      replayed: number;
      changed: number;
      wouldAutoApprove: number;
      wouldAutoDeny: number;
      wouldNeedReview: number;
      petitions: {
        name: string;
        /** @description RFC 3339 timestamp */
        createTime: string;
        petitioners: string[];
        resources: string[];
        actual: {
          /** @enum {string} */
          phase: "open" | "granted" | "revoked" | "closed";
          /** @enum {string} */
          outcome?: "denied" | "cancelled" | "timed_out" | "revoked" | "expired";
          decidedBy: string;
        };
        draft: {
          /** @enum {string} */
          outcome: "approve" | "deny" | "review";
          decidedBy: string | null;
          reason: string;
          needs: string[];
        };
        changed: boolean;
        summary: string;
      }[];
    };
    /** PolicyReviewers */
    PolicyReviewers: {
      /** @description Emails of people who may approve */
      users?: string[];
      /** @description Groups of the space whose members may approve */
      groups?: string[];
      roles?: ("admin" | "reviewer")[];
      /** @description A label of the petitioner's catalog entry that names their manager: an email, or the id of a user resource that has one */
      managerLabel?: string;
      /** @description Names of service accounts of the space that may approve */
      serviceAccounts?: string[];
      /** @description Ids or emails of decision-webhook bots whose approve claims count here */
      bots?: string[];
    };
    /** PolicyRule */
    PolicyRule: {
      name: string;
      description?: string;
      match?: {
        /** @description Resource kinds, exact or with * and ? globs, e.g. "aws.iam.*" */
        kinds?: string[];
        /** @description A Kubernetes label selector, e.g. env=prod,team in (sre,db) */
        resources?: string;
        petitioner?: {
          /** @description Emails, exact or with globs, e.g. "*@contractors.example.com" */
          emails?: string[];
          /** @description Groups of the space; the petitioner must be in one */
          groups?: string[];
          /** @description A Kubernetes label selector, e.g. env=prod,team in (sre,db) */
          labels?: string;
        };
        /** @description A CEL expression that yields a bool */
        condition?: string;
      };
      require?: components["schemas"]["PolicyStep"][];
      autoApprove?: {
        reason: string;
        /** @description A Go duration such as "6h", "30m" or "1h30m" */
        duration?: string;
      };
      autoDeny?: {
        reason: string;
      };
      duration?: components["schemas"]["PolicyDurationLimits"];
      notify?: components["schemas"]["PolicyNotify"];
      /** @description A Go duration such as "6h", "30m" or "1h30m" */
      pendingTimeout?: string;
      escalations?: components["schemas"]["PolicyEscalation"][];
      /** @description Petitions this rule matches are high-risk: reviewers decide them in the web UI after a fresh sign-in, not in chat */
      highRisk?: boolean;
    };
    /** PolicyStep */
    PolicyStep: {
      name: string;
      reviewers: components["schemas"]["PolicyReviewers"];
      /** @description Distinct approvers needed (default 1) */
      approvals?: number;
      /** @description Whether a petitioner may count toward this step (default false) */
      allowSelfApproval?: boolean;
    };
    /** PolicyValidation */
    PolicyValidation: {
      valid: boolean;
      rules: number;
    };
    /** PolicyVersion */
    PolicyVersion: {
      version: number;
      removed: boolean;
      /** @description RFC 3339 timestamp */
      createTime: string;
      createdBy: string;
    };
    /** PolicyVersionList */
    PolicyVersionList: {
      versions: components["schemas"]["PolicyVersion"][];
      nextPageToken: string;
    };
    /** PullInput */
    PullInput: {
      kinds: string[];
      flags?: {
        [key: string]: string;
      };
    };
    /** PullOutcome */
    PullOutcome: {
      resources: components["schemas"]["Resource"][];
      status: {
        /** @description 0 when every webhook answered; 2 otherwise */
        code: number;
        message: string;
      };
      webhooks: {
        webhook: string;
        /** @description how many resources it returned */
        resources: number;
        error?: string;
      }[];
    };
    /** PullPolicy */
    PullPolicy: {
      meta: {
        name: string;
        space: string;
        displayName: string;
        /** @description RFC 3339 timestamp */
        createTime: string;
        /** @description RFC 3339 timestamp */
        updateTime: string;
      };
      schedule: string;
      kinds: string[];
      flags: {
        [key: string]: string;
      };
      /** @description RFC 3339 timestamp */
      nextRunTime: string;
      /** @description RFC 3339 timestamp */
      lastRunTime?: string;
      lastResult?: components["schemas"]["PullRunResult"];
    };
    /** PullPolicyInput */
    PullPolicyInput: {
      /** @description other Meta fields are ignored */
      meta?: {
        name?: string;
        displayName?: string;
      } & {
        [key: string]: unknown;
      };
      /** @description accepted for compatibility; ignored */
      base?: unknown;
      /** @description a cron expression ("0 * * * *"), or "@hourly", "@daily", "@every 15m" */
      schedule?: string;
      kinds?: string[];
      flags?: {
        [key: string]: string;
      };
    };
    /** PullPolicyList */
    PullPolicyList: {
      pullPolicies: components["schemas"]["PullPolicy"][];
    };
    /** PullRunResult */
    PullRunResult: {
      resources: number;
      errors: string[];
      durationMs?: number;
    };
    /** ReceiptStatus */
    ReceiptStatus:
      | {
          /**
           * @description Whether the approval the receipt proves still holds now
           * @enum {boolean}
           */
          active: true;
          petitionName: string;
          operationHash: string;
          /** @description When the receipt expires */
          expireTime: string;
        }
      | {
          /**
           * @description Whether the approval the receipt proves still holds now
           * @enum {boolean}
           */
          active: false;
          /** @description Why not: not a receipt of this server for this space; the receipt expired; the petition is no longer granted; its grant's time is up */
          reason: "invalid" | "expired" | "revoked" | "expired_grant";
          petitionName?: string;
        };
    /** ReplayInput */
    ReplayInput: {
      policy: components["schemas"]["PolicyDocument"];
      /** @description how many of the latest petitions (default 100) */
      limit?: number;
    };
    /** Resource */
    Resource: {
      kind: string;
      id?: string;
      displayName?: string;
      email?: string;
      altIds?: string[];
      labels: {
        [key: string]: string;
      };
    };
    /**
     * ResourceInput
     * @description A resource: a user, group, action, anything requested or granted
     */
    ResourceInput: {
      kind?: string;
      id?: string;
      displayName?: string;
      email?: string;
      altIds?: string[];
      /** @description Labels: string keys to string values */
      labels?: {
        [key: string]: string;
      };
    };
    /** ResourceList */
    ResourceList: {
      resources: components["schemas"]["Resource"][];
      nextPageToken: string;
    };
    /** Resources */
    Resources: {
      resources: components["schemas"]["Resource"][];
    };
    /**
     * Review
     * @description state.review
     */
    Review: {
      /** @description the version of the policy it was made under; absent: no policy */
      policyVersion?: number;
      /** @description the rules that applied to it */
      rules: string[];
      steps: {
        name: string;
        rule: string;
        /** @description distinct approvers needed */
        approvals: number;
        /** @description approvers counted toward this step */
        approvedBy: string[];
        satisfied: boolean;
        allowSelfApproval: boolean;
        reviewers: {
          users: string[];
          groups: string[];
          roles: string[];
          serviceAccounts: string[];
          bots: string[];
        };
      }[];
      /** @description the longest grant an approval may give (Go duration) */
      maxDuration: string;
      defaultDuration: string;
      allowIndefinite: boolean;
      notify: components["schemas"]["Notify"];
      /** @description when it closes as timed_out if still open */
      timeoutTime?: string;
      escalationsDone: number;
      nextEscalationTime?: string;
      /** @description a matching rule marks it high-risk: only a person who signed in strongly and recently (GREENLIGHT_STEP_UP_MAX_AGE) approves it */
      highRisk: boolean;
    };
    /** RoleBindings */
    RoleBindings: {
      bindings: {
        role: string;
        members: string[];
      }[];
    };
    /** ServiceAccount */
    ServiceAccount: {
      name: string;
      /** @description decimal digits, as protobuf JSON writes a uint64 */
      serviceAccountId: string;
      displayName: string;
      /** @description the sub of its access tokens */
      email: string;
      labels: {
        [key: string]: string;
      };
      roles: string[];
      meta: {
        name: string;
        space: string;
        displayName: string;
        labels: {
          [key: string]: string;
        };
        /** @description RFC 3339 timestamp */
        createTime: string;
        /** @description RFC 3339 timestamp */
        updateTime: string;
        /** @description RFC 3339 timestamp */
        deleteTime?: string;
      };
      createdBy: components["schemas"]["Resource"];
    };
    /** ServiceAccountInput */
    ServiceAccountInput: {
      name?: string;
      displayName?: string;
      email?: string;
      /** @description Labels: string keys to string values */
      labels?: {
        [key: string]: string;
      };
      /** @description roles to bind it to (replacing its roles on PATCH) */
      roles?: string[];
    };
    /** ServiceAccountList */
    ServiceAccountList: {
      serviceAccounts: components["schemas"]["ServiceAccount"][];
      nextPageToken: string;
    };
    /** Session */
    Session: {
      email: string;
      /** @description oidc or link */
      via: string;
      /** Format: date-time */
      expireTime: string;
      /** @description the spaces where the signed-in person holds a role, by name; no others */
      spaces: {
        name: string;
        displayName: string;
        /** @description the person's roles there, directly or through a group */
        roles: string[];
      }[];
      stepUp: components["schemas"]["StepUpStatus"];
    };
    /** SessionToken */
    SessionToken: {
      accessToken: string;
      access_token: string;
      /** @enum {string} */
      tokenType: "Bearer";
      /** @enum {string} */
      token_type: "Bearer";
      expiresIn: number;
      expires_in: number;
      /** Format: date-time */
      expireTime: string;
      scope: string;
      space: string;
      email: string;
    };
    /** SignInLink */
    SignInLink: {
      url: string;
      email: string;
      /** Format: date-time */
      expireTime: string;
    };
    /** SignInOptions */
    SignInOptions: {
      /** @description whether people sign in with an identity provider here; without one, only with one-time links an admin makes */
      identityProvider: boolean;
    };
    /** SlackApp */
    SlackApp: {
      spaceName: string;
      apiUrl: string;
      teamId?: string;
      defaultChannels: string[];
      /** @description How long before a grant expires its petitioners are reminded (0s: never) */
      expiryReminder: string;
      botTokenHint: string;
      signingSecretHint: string;
      /** @description The Request URL for Interactivity & Shortcuts in the Slack app's settings */
      interactivityUrl: string;
      /** @description The Request URL of the /greenlight slash command */
      commandsUrl: string;
      /** Format: date-time */
      createTime: string;
      /** Format: date-time */
      updateTime: string;
      /** Format: date-time */
      lastSuccessTime?: string;
      lastError?: string;
      /** Format: date-time */
      lastErrorTime?: string;
    };
    /** SlackAppInput */
    SlackAppInput: {
      /** @description The bot token (xoxb-…); required the first time */
      botToken?: string;
      /** @description The app's signing secret; required the first time */
      signingSecret?: string;
      /** @description Slack's Web API (default https://slack.com/api/), or a proxy */
      apiUrl?: string;
      /** @description Only this workspace's users may act; null for any */
      teamId?: string | null;
      /** @description Channels asked when a policy names none */
      defaultChannels?: string[];
      /** @description e.g. "15m"; "0s" for no reminder */
      expiryReminder?: string;
    };
    /** SlackTestResult */
    SlackTestResult: {
      ok: boolean;
      team?: string;
      teamId?: string;
      botUserId?: string;
      error?: string;
    };
    /** Space */
    Space: {
      name: string;
      displayName: string;
      /** @description RFC 3339 timestamp */
      createTime: string;
      /** @description RFC 3339 timestamp */
      updateTime: string;
    };
    /** SpaceInput */
    SpaceInput: {
      name?: string;
      displayName?: string;
      /** @description accepted for compatibility; ignored */
      parent?: string;
    };
    /** SpaceList */
    SpaceList: {
      spaces: components["schemas"]["Space"][];
      nextPageToken: string;
    };
    /**
     * StepUpStatus
     * @description high-risk approvals need a recent strong sign-in: what this session has, and how to get one
     */
    StepUpStatus: {
      /** @description how this person can sign in again strongly here: oidc, passkey */
      methods: string[];
      /** @description how recent a strong sign-in must be to approve a high-risk petition, e.g. "10m" */
      maxAge: string;
      lastStrongSignIn?: {
        /** Format: date-time */
        time: string;
        method: string;
        fresh: boolean;
      };
    };
    /** Subscription */
    Subscription: {
      name: string;
      description: string;
      url: string;
      eventTypes: string[];
      /** @description only in the answer that set it */
      secret?: string;
      secretHint: string;
      disabled: boolean;
      disabledReason?: string;
      /** @description RFC 3339 timestamp */
      disabledTime?: string;
      /** @description RFC 3339 timestamp */
      createTime: string;
      /** @description RFC 3339 timestamp */
      updateTime: string;
      /** @description RFC 3339 timestamp */
      lastSuccessTime?: string;
      lastError?: string;
      /** @description RFC 3339 timestamp */
      lastErrorTime?: string;
    };
    /** SubscriptionInput */
    SubscriptionInput: {
      name?: string;
      description?: string;
      url?: string;
      /** @description event types such as "grant.started", families such as "petition.*", or "*" (the default) */
      eventTypes?: string[];
      /** @description whsec_…; leave out to have one made */
      secret?: string;
      /** @description true turns the subscription off; false turns back on one that a 410 Gone turned off */
      disabled?: boolean;
    };
    /** SubscriptionList */
    SubscriptionList: {
      subscriptions: components["schemas"]["Subscription"][];
      nextPageToken: string;
    };
    /** Token */
    Token: {
      name: string;
      /**
       * @description refresh (a service account's) or user (minted for a person)
       * @enum {string}
       */
      kind: "refresh" | "user";
      displayName: string;
      subject: string;
      serviceAccountId?: string;
      scope: string;
      meta: {
        name: string;
        space: string;
        displayName: string;
        /** @description RFC 3339 timestamp */
        createTime: string;
        /** @description RFC 3339 timestamp */
        expireTime?: string;
        /** @description RFC 3339 timestamp */
        deleteTime?: string;
      };
      createdBy: components["schemas"]["Resource"];
      /** @description RFC 3339 timestamp */
      lastUseTime?: string;
      /** @description only when created; store it, it is not shown again */
      refreshToken?: string;
      accessToken?: string;
    };
    /** TokenInput */
    TokenInput: {
      serviceAccountId: string | number;
      displayName?: string;
      scope?: string;
      /** @description days until the refresh token expires; 0 or absent: never */
      expiryDays?: number;
    };
    /** TokenList */
    TokenList: {
      tokens: components["schemas"]["Token"][];
      nextPageToken: string;
    };
    /** UserToken */
    UserToken: components["schemas"]["Token"] & components["schemas"]["AccessToken"];
    /** UserTokenInput */
    UserTokenInput: {
      email: string;
      displayName?: string;
      ttl?:
        | string
        | {
            seconds?: number | string;
            nanos?: number;
          };
    };
    /** Webhook */
    Webhook: {
      name: string;
      spaceName: string;
      displayName: string;
      /** @description Labels: string keys to string values */
      labels: {
        [key: string]: string;
      };
      url: string;
      method: string;
      headers: {
        [key: string]: components["schemas"]["WebhookHeader"];
      };
      /** @description only in the answer that set it */
      secret?: string;
      secretHint: string;
      dryRun: boolean;
      handlers: components["schemas"]["WebhookHandler"][];
      bot: components["schemas"]["WebhookBot"];
      /** @description RFC 3339 timestamp */
      createTime: string;
      /** @description RFC 3339 timestamp */
      updateTime: string;
      /** @description RFC 3339 timestamp */
      lastSuccessTime?: string;
      lastError?: string;
      /** @description RFC 3339 timestamp */
      lastErrorTime?: string;
      /** @description nothing is sent to a webhook that is turned off */
      disabled: boolean;
      disabledReason?: string;
      /** @description RFC 3339 timestamp */
      disabledTime?: string;
    };
    /**
     * WebhookBot
     * @description the identity a decision webhook's claims must carry (default bot@indent.com)
     */
    WebhookBot: {
      id?: string;
      email?: string;
    };
    /** WebhookHandler */
    WebhookHandler: {
      /**
       * @description applyUpdate, pullUpdate or decision
       * @enum {string}
       */
      type: "applyUpdate" | "pullUpdate" | "decision";
      resourceKinds: string[];
    };
    /** WebhookHandlerInput */
    WebhookHandlerInput: {
      /** @description applyUpdate, pullUpdate or decision */
      type: string;
      resourceKinds: string[];
    };
    /** WebhookHeader */
    WebhookHeader: {
      value?: string;
      credential?: string;
    };
    /** WebhookInput */
    WebhookInput: {
      name?: string;
      /** @description ignored: the URL names the space */
      spaceName?: string;
      displayName?: string;
      /** @description Labels: string keys to string values */
      labels?: {
        [key: string]: string;
      };
      url?: string;
      method?: string;
      headers?: {
        [key: string]: components["schemas"]["WebhookHeader"];
      };
      /** @description leave out to have one made (wks0…) */
      secret?: string;
      dryRun?: boolean;
      handlers?: components["schemas"]["WebhookHandlerInput"][];
      bot?: components["schemas"]["WebhookBot"];
      /** @description true turns the webhook off; false turns back on one that a receiver's 410 Gone turned off */
      disabled?: boolean;
    };
    /** WebhookList */
    WebhookList: {
      webhooks: components["schemas"]["Webhook"][];
      nextPageToken: string;
    };
    /** WebhookPolicy */
    WebhookPolicy: {
      meta: {
        name: string;
        space: string;
        displayName: string;
        /** @description Labels: string keys to string values */
        labels: {
          [key: string]: string;
        };
        /** @description RFC 3339 timestamp */
        createTime: string;
        /** @description RFC 3339 timestamp */
        updateTime: string;
      };
      base: {
        selector: components["schemas"]["LabelSelector"];
        conditions: {
          expression: string;
        }[];
      };
      webhooks: {
        name: string;
      }[];
    };
    /** WebhookPolicyInput */
    WebhookPolicyInput: {
      /** @description other Meta fields are ignored */
      meta?: {
        name?: string;
        displayName?: string;
        /** @description Labels: string keys to string values */
        labels?: {
          [key: string]: string;
        };
      } & {
        [key: string]: unknown;
      };
      base?: {
        selector?: components["schemas"]["LabelSelector"];
        conditions?: (
          | string
          | {
              expression: string;
              title?: string;
              description?: string;
              location?: string;
            }
        )[];
        /** @description ignored */
        compiledConditions?: unknown;
      };
      webhooks?: {
        name?: string;
      }[];
    };
    /** WebhookPolicyList */
    WebhookPolicyList: {
      webhookPolicies: components["schemas"]["WebhookPolicy"][];
    };
    /** WriteResult */
    WriteResult: {
      written: number;
    };
  };
  responses: never;
  parameters: never;
  requestBodies: never;
  headers: never;
  pathItems: never;
}
export type $defs = Record<string, never>;
export type operations = Record<string, never>;
