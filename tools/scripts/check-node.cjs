// `npm start`, `npm test` and `npm run build` run this first (package.json "pre" scripts):
// every other script is TypeScript run by Node itself, which older Node versions refuse with
// a stack trace (ERR_UNKNOWN_FILE_EXTENSION) that does not say what is wrong. CommonJS and
// plain syntax on purpose, so that any Node can run it.
const { readFileSync } = require('node:fs');
const { join } = require('node:path');

const range = JSON.parse(readFileSync(join(__dirname, '..', '..', 'package.json'), 'utf8')).engines
  .node;
const [major, minor] = process.versions.node.split('.').map(Number);
const [needMajor, needMinor] = range
  .replace(/^>=\s*/, '')
  .split('.')
  .map(Number);
if (major < needMajor || (major === needMajor && minor < (needMinor || 0))) {
  console.error(
    `todo-chatbot needs Node ${range} (this is ${process.version}): install Node 24 LTS (e.g. \`nvm install 24\`) and run \`npm install\` again`,
  );
  process.exit(1);
}
