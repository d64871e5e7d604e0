// jsq.js FILE EXPR: prints the value of the JavaScript expression EXPR, with `d` bound to
// FILE parsed as JSON (strings raw, everything else as JSON). For the shell tests.
const fs = require('fs');
const [file, expr] = process.argv.slice(2);
const d = JSON.parse(fs.readFileSync(file, 'utf8'));
const v = new Function('d', `return (${expr});`)(d);
console.log(typeof v === 'string' ? v : JSON.stringify(v));
