import Type, { type Static, type TArray, type TObject, type TSchema, type TString } from "typebox";

/**
 * What every resource's contract shares: labels, text and time fields, path names, paging,
 * and the error envelope. A schema's `title` names its shape in /openapi.json's components
 * (and so in the SDK's generated types); validation and serialization ignore it.
 */

export const LIMITS = {
  labels: 256,
  labelKey: 317,
  labelValue: 4096,
  text: 1024,
  reason: 4096,
  list: 100,
} as const;

/** Labels as a request sends them: bounded in number and size. */
export const Labels = Type.Unsafe<Record<string, string>>({
  type: "object",
  additionalProperties: { type: "string", maxLength: LIMITS.labelValue },
  propertyNames: { minLength: 1, maxLength: LIMITS.labelKey },
  maxProperties: LIMITS.labels,
  description: "Labels: string keys to string values",
});

/** Labels as the server answers them: always an object, so clients index it without a guard. */
export const OutLabels = Type.Record(Type.String(), Type.String());

export const Text = (maxLength: number = LIMITS.text) => Type.String({ maxLength });

/** A time a request may send (Indent's clients send back what they read). */
export const Timestamp = Type.String({ description: "RFC 3339 timestamp", maxLength: 64 });

/** A time the server answers with. */
export const Time = Type.String({ description: "RFC 3339 timestamp" });

/** What requests may send as `meta`: Indent's `Meta`, of which the server reads the labels. */
export const MetaInput = Type.Object(
  {
    name: Type.Optional(Text()),
    space: Type.Optional(Text()),
    displayName: Type.Optional(Text()),
    labels: Type.Optional(Labels),
    createTime: Type.Optional(Timestamp),
    updateTime: Type.Optional(Timestamp),
    deleteTime: Type.Optional(Timestamp),
    expireTime: Type.Optional(Timestamp),
    startTime: Type.Optional(Timestamp),
    endTime: Type.Optional(Timestamp),
  },
  { additionalProperties: false, title: "MetaInput" },
);
export type MetaInput = Static<typeof MetaInput>;

/** A name in a URL's path. */
export const PathName = (description: string) => Type.String({ minLength: 1, maxLength: 256, description });

export const SpaceParams = Type.Object({ space: PathName("space name") });

export const Paging = {
  pageSize: Type.Optional(Type.Integer({ minimum: 0, maximum: 100, description: "1 to 100; default 50" })),
  pageToken: Type.Optional(Type.String({ maxLength: 512, description: "nextPageToken of the previous page" })),
};

export const PagingQuery = Type.Object({ ...Paging }, { additionalProperties: false });
export type PagingQuery = Static<typeof PagingQuery>;

/** A query field Indent's clients send that this server ignores. */
export const Among = Type.Optional(
  Type.Union([Type.String(), Type.Array(Type.String())], { description: "accepted for compatibility; ignored" }),
);

export const ErrorOut = Type.Object(
  {
    error: Type.Object({
      code: Type.String(),
      message: Type.String(),
      requestId: Type.String(),
      field: Type.Optional(Type.String()),
    }),
  },
  { title: "Error" },
);
export type ErrorOut = Static<typeof ErrorOut>;

export const EmptyOut = Type.Object({}, { title: "Empty" });

const ERROR_STATUSES = [400, 401, 403, 404, 409, 413, 415, 422, 429, 500] as const;
type ErrorResponses = { [Status in (typeof ERROR_STATUSES)[number]]: typeof ErrorOut };

/** Error responses every authenticated route can give, for the OpenAPI document. */
export function withErrors<T extends Record<number, TSchema>>(ok: T): T & ErrorResponses {
  const errors = Object.fromEntries(ERROR_STATUSES.map((status) => [status, ErrorOut])) as ErrorResponses;
  return { ...ok, ...errors };
}

/**
 * A string from a closed set, in answers: `enum` in the document and a union in the types, but
 * serialized as the plain string it is. Requests keep plain strings, so a value outside the set
 * gets the service's explanation rather than the validator's.
 */
export const OneOf = <const T extends readonly string[]>(values: T, options: { description?: string } = {}) =>
  Type.Unsafe<T[number]>({ type: "string", enum: [...values], ...options });

/** A page of a list: the items under their plural name, and the token of the next page ("" on the last). */
export function PageOf<K extends string, T extends TSchema>(key: K, item: T, title: string) {
  const properties = { [key]: Type.Array(item), nextPageToken: Type.String() } as { [P in K]: TArray<T> } & { nextPageToken: TString };
  return Type.Object(properties, { title });
}

/** How sending to a destination last went (webhooks, subscriptions, on-call providers). */
export const DestinationHealth = {
  lastSuccessTime: Type.Optional(Time),
  lastError: Type.Optional(Type.String()),
  lastErrorTime: Type.Optional(Time),
};
export type DestinationHealthOut = Static<TObject<typeof DestinationHealth>>;
