import { z } from 'zod'
import type { RegisteredRoute } from './routing.ts'

type JsonSchema = Record<string, unknown>

function jsonSchema(schema: z.ZodType, io: 'input' | 'output'): JsonSchema {
  const { $schema: _ignored, ...rest } = z.toJSONSchema(schema, { io, unrepresentable: 'any', target: 'draft-2020-12' })
  return rest
}

const PROBLEM_SCHEMA: JsonSchema = {
  type: 'object',
  required: ['type', 'title', 'status', 'detail', 'code', 'requestId'],
  properties: {
    type: { type: 'string' },
    title: { type: 'string' },
    status: { type: 'integer' },
    detail: { type: 'string' },
    code: { type: 'string', description: 'stable snake_case code, listed in docs/errors.md' },
    requestId: { type: 'string' },
    errors: {
      type: 'array',
      items: {
        type: 'object',
        required: ['path', 'message'],
        properties: { path: { type: 'string' }, message: { type: 'string' } },
      },
    },
  },
}

function problemResponse(description: string) {
  return { description, content: { 'application/problem+json': { schema: { $ref: '#/components/schemas/Problem' } } } }
}

function parameters(route: RegisteredRoute): JsonSchema[] {
  const list: JsonSchema[] = []
  for (const [location, schema] of [
    ['path', route.params],
    ['query', route.query],
  ] as const) {
    if (!schema) continue
    const object = jsonSchema(schema, 'input') as { properties?: Record<string, JsonSchema>; required?: string[] }
    for (const [name, property] of Object.entries(object.properties ?? {})) {
      const { description, ...rest } = property
      list.push({
        name,
        in: location,
        required: location === 'path' || (object.required ?? []).includes(name),
        ...(description ? { description } : {}),
        schema: rest,
      })
    }
  }
  if (route.access !== 'public') {
    list.push({
      name: 'X-Tenant-Id',
      in: 'header',
      required: false,
      description: 'Platform admins only: the tenant to act on.',
      schema: { type: 'string' },
    })
  }
  return list
}

/** The OpenAPI 3.1 document of every route, from the zod schemas that validate them. */
export function buildOpenApiDocument(routes: readonly RegisteredRoute[], info: { version: string }): JsonSchema {
  const paths: Record<string, Record<string, unknown>> = {}
  for (const route of routes) {
    const responses: Record<string, unknown> = {}
    for (const [status, spec] of Object.entries(route.responses)) {
      const contentType = spec.contentType ?? 'application/json'
      responses[status] = spec.schema
        ? { description: spec.description, content: { [contentType]: { schema: jsonSchema(spec.schema, 'output') } } }
        : { description: spec.description }
    }
    if (route.params || route.query || route.body) responses['400'] = problemResponse('The request is not valid')
    if (route.access !== 'public') {
      responses['401'] = problemResponse('No token, or a bad one')
      responses['403'] = problemResponse('The caller lacks the role')
    }
    if (route.params) responses['404'] = problemResponse('Not found (or another tenant’s)')
    if (route.body) {
      responses['413'] = problemResponse('The body is too large')
      responses['415'] = problemResponse('The body is not JSON')
    }
    responses['500'] = problemResponse('A bug; report it with the requestId')
    const operation: Record<string, unknown> = {
      operationId: route.operationId,
      summary: route.summary,
      tags: route.tags,
      parameters: parameters(route),
      responses,
      ...(route.access === 'public' ? { security: [] } : {}),
      ...(route.access !== 'public' && route.access !== 'member'
        ? { description: `Requires the ${route.access} role.` }
        : {}),
    }
    if (route.body) {
      operation['requestBody'] = {
        required: true,
        content: { 'application/json': { schema: jsonSchema(route.body, 'input') } },
      }
    }
    const path = route.path
    paths[path] ??= {}
    paths[path]![route.method.toLowerCase()] = operation
  }
  return {
    openapi: '3.1.0',
    info: {
      title: 'Tributary API',
      version: info.version,
      description:
        'Orders, customers, connections and sync control of a Tributary instance. Errors are application/problem+json with a stable `code` (docs/errors.md). Money is integer minor units plus a decimal string and its currency; times are ISO 8601 UTC.',
    },
    servers: [{ url: '/' }],
    security: [{ bearer: [] }],
    components: {
      securitySchemes: {
        bearer: {
          type: 'http',
          scheme: 'bearer',
          description: 'A JWT access token from POST /api/v1/auth/login, or an API key (trb_…).',
        },
      },
      schemas: { Problem: PROBLEM_SCHEMA },
    },
    paths,
  }
}
