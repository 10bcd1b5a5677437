#!/usr/bin/env node
// @module The installed `docket` command: hands over to the TypeScript CLI, which Node 24 runs directly.
import '../src/cli/main.ts';
