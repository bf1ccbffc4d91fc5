// V8's code cache for the CLI bundle where Node has no module.enableCompileCache (before 22.1): each out/main file is
// compiled with the bytecode a previous run saved, which spares the parse and compile that dominate a short command.
'use strict'
const fs = require('node:fs')
const Module = require('node:module')
const { tmpdir } = require('node:os')
const { dirname, join, sep } = require('node:path')
const vm = require('node:vm')

/**
 * The cache folder: per user in the temp folder like Node's own compile cache, used only when this user owns it and
 * nobody else may write to it (bytecode from another user must never run).
 */
function cacheDir() {
  const uid = typeof process.getuid === 'function' ? process.getuid() : null
  const dir = join(tmpdir(), `tokendesk-compile-cache-${uid ?? 'user'}`)
  try {
    fs.mkdirSync(dir, { mode: 0o700 })
  } catch (e) {
    if (e.code !== 'EEXIST') return null
  }
  try {
    const st = fs.lstatSync(dir)
    if (!st.isDirectory()) return null
    if (uid !== null && (st.uid !== uid || (st.mode & 0o022) !== 0)) return null
    return dir
  } catch {
    return null
  }
}

/**
 * Compiles the files under `root` with a code cache; other modules load as usual. A cache holds the functions its
 * first run compiled, so each `variant` (the command a run names) keeps caches of its own.
 */
function install(root, variant = '') {
  const dir = cacheDir()
  if (!dir) return
  const prefix = root.endsWith(sep) ? root : root + sep
  const stamp = `${process.version}-${process.arch}`
  /** Scripts compiled without a usable cache: their bytecode is saved at exit, once their functions have run. */
  const pending = []
  const compile = Module.prototype._compile
  Module.prototype._compile = function (content, filename) {
    if (!filename.startsWith(prefix)) return compile.call(this, content, filename)
    // Named by the file's full path (two checkouts must not evict each other's cache), the Node that compiled it and the
    // build's length, time and size (no hashing: node:crypto alone would cost a short command more than it saves); V8
    // checks the source length and its own flags too.
    const st = fs.statSync(filename)
    const key = `${filename.replace(/[\\/:]/g, '_')}${variant ? `~${variant}` : ''}@${stamp}`
    const file = join(
      dir,
      `${key}@${content.length.toString(36)}-${Math.trunc(st.mtimeMs).toString(36)}-${st.size.toString(36)}.bin`
    )
    let cachedData
    try {
      cachedData = fs.readFileSync(file)
    } catch {
      cachedData = undefined
    }
    const script = new vm.Script(Module.wrap(content), {
      filename,
      cachedData,
      importModuleDynamically: vm.constants?.USE_MAIN_CONTEXT_DEFAULT_LOADER
    })
    if (cachedData === undefined || script.cachedDataRejected) pending.push({ script, file, key })
    const fn = script.runInThisContext({ displayErrors: true })
    return fn.call(this.exports, this.exports, requireFor(this), this, filename, dirname(filename))
  }
  process.once('exit', () => {
    for (const { script, file, key } of pending) save(dir, key, file, script)
  })
}

/** The `require` a module's wrapper gets, as Node builds it. */
function requireFor(mod) {
  const req = (id) => mod.require(id)
  req.resolve = (request, options) => Module._resolveFilename(request, mod, false, options)
  req.resolve.paths = (request) => Module._resolveLookupPaths(request, mod)
  req.main = process.mainModule
  req.extensions = Module._extensions
  req.cache = Module._cache
  return req
}

/** Writes one script's bytecode (temp file and rename, so a reader never sees half of it) and drops older builds'. */
function save(dir, key, file, script) {
  try {
    for (const old of fs.readdirSync(dir))
      if (old.startsWith(`${key}@`) && join(dir, old) !== file) fs.rmSync(join(dir, old), { force: true })
    const tmp = `${file}.${process.pid}.tmp`
    fs.writeFileSync(tmp, script.createCachedData(), { mode: 0o600 })
    fs.renameSync(tmp, file)
  } catch {
    // A cache that cannot be written only costs the next run its compile.
  }
}

module.exports = { install }
