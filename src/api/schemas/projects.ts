/**
 * @module Projects on the wire (docs/project-file.md): the summary a list shows, the
 * project with its definition, its versions, and the project file a client sends
 * as the raw body of `POST /projects` and `PUT /projects/{id}`.
 */
import { Type } from '@sinclair/typebox';
import { Binary, DateTime, Nullable, ref, type RawBody } from './common.ts';

export const ProjectSummary = Type.Object({
  id: Type.String(),
  name: Type.String(),
  version: Type.Integer({ minimum: 1 }),
  created_at: DateTime(),
  updated_at: DateTime(),
}, { $id: 'ProjectSummary', description: 'A project without its definition.' });

export const ProjectList = Type.Object({
  projects: Type.Array(ref(ProjectSummary)),
}, { $id: 'ProjectList', description: 'The account\'s projects, as summaries (`GET /projects/{id}` has the definition).' });

const ProjectFields = {
  id: Type.String(),
  name: Type.String(),
  version: Type.Integer({ minimum: 1, description: 'Every `PUT` adds a version; tasks keep the one they were created with.' }),
  created_at: DateTime(),
  updated_at: DateTime(),
  timeout_seconds: Nullable('number', { description: 'A task not finished after this long ends `timed-out`; null = never.' }),
  client_action_timeout_seconds: Type.Number({ description: 'The lease a client action takes.' }),
  validation: Type.Object({
    mode: Type.String({ description: 'never, always or auto (docs/project-file.md).' }),
    confidence_threshold: Type.Number({ minimum: 0, maximum: 1 }),
  }, { additionalProperties: true }),
  definition: Type.Record(Type.String(), Type.Unknown(), { description: 'The project file as it was sent, parsed (docs/project-file.md).' }),
};

export const Project = Type.Object(ProjectFields, { $id: 'Project', additionalProperties: true, description: 'A project: how its tasks are captured.' });

export const ProjectVersion = Type.Object({
  version: Type.Integer({ minimum: 1 }),
  created_at: DateTime(),
}, { $id: 'ProjectVersion' });

export const ProjectWithVersions = Type.Object({
  ...ProjectFields,
  versions: Type.Array(ref(ProjectVersion), { description: 'Every version, oldest first.' }),
}, { $id: 'ProjectWithVersions', additionalProperties: true, description: 'A project with the list of its versions.' });

/** The project file: YAML, JSON or a zip bundle with samples, read as bytes (5 MiB for YAML and JSON). */
export const PROJECT_BODY: RawBody = {
  description: 'The project file (docs/project-file.md): YAML, JSON, or a zip bundle of `project.yaml` with samples.',
  content: {
    'application/json': { schema: Type.Object({ name: Type.String() }, { additionalProperties: true, description: 'The project file as JSON.' }) },
    'application/yaml': { schema: Type.String({ description: 'The project file as YAML.' }) },
    'application/zip': { schema: Binary('A bundle: project.yaml and samples.') },
  },
};
