import fastJson from "fast-json-stringify";
import type { FastifySerializerCompiler } from "fastify";

/**
 * Answers are serialized by their response schemas with fast-json-stringify, as Fastify does
 * by default, but each serializer is compiled when its route first answers with that status,
 * not when the server starts: compiling every route's up front took a third of a second of a
 * start. Fastify's default compiler also has no shared schemas to pass here (none are added).
 */
export const serializerCompiler: FastifySerializerCompiler<object> = ({ schema }) => {
  let compiled: ((data: unknown) => string) | undefined;
  return (data: unknown) => (compiled ??= fastJson(schema))(data);
};
