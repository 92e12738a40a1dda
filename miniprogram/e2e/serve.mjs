// A tiny same-origin front for the H5 build: files from dist/h5, and /mp/ (the resident API)
// passed to the palmaid server, so the browser needs no CORS. Used by the e2e suite; also
// handy by hand:  B=http://127.0.0.1:8080 PORT=18127 node e2e/serve.mjs
import http from 'node:http'
import fs from 'node:fs'
import path from 'node:path'
import { fileURLToPath } from 'node:url'

const here = path.dirname(fileURLToPath(import.meta.url))
const types = { '.html': 'text/html; charset=utf-8', '.js': 'text/javascript', '.css': 'text/css', '.png': 'image/png', '.svg': 'image/svg+xml', '.json': 'application/json', '.ico': 'image/x-icon', '.woff': 'font/woff', '.woff2': 'font/woff2', '.ttf': 'font/ttf' }

/** start({backend, root, port}) → {url, close}. port 0 picks a free one. */
export function start({ backend, root = path.join(here, '..', 'dist', 'h5'), port = 0, host = '127.0.0.1' }) {
  const target = new URL(backend)
  const server = http.createServer((req, res) => {
    if (req.url.startsWith('/mp/')) {
      const p = http.request({ host: target.hostname, port: target.port, method: req.method, path: target.pathname.replace(/\/$/, '') + req.url, headers: { ...req.headers, host: target.host } }, (up) => {
        res.writeHead(up.statusCode, up.headers)
        up.pipe(res)
      })
      p.on('error', () => {
        res.writeHead(502, { 'Content-Type': 'application/json' })
        res.end('{"error":{"code":"proxy.unreachable","message":"服务器暂时连不上，请稍后再试"}}')
      })
      req.pipe(p)
      return
    }
    let rel = decodeURIComponent(new URL(req.url, 'http://x').pathname)
    if (rel === '/' || !path.extname(rel)) rel = '/index.html'
    const file = path.join(root, path.normalize(rel))
    if (!file.startsWith(root)) {
      res.writeHead(403)
      return res.end()
    }
    fs.readFile(file, (err, data) => {
      if (err) {
        res.writeHead(404)
        return res.end('not found')
      }
      res.writeHead(200, { 'Content-Type': types[path.extname(file)] || 'application/octet-stream', 'Cache-Control': 'no-cache' })
      res.end(data)
    })
  })
  return new Promise((resolve) => {
    server.listen(port, host, () => {
      const a = server.address()
      resolve({ url: `http://${host}:${a.port}`, close: () => new Promise((r) => server.close(r)) })
    })
  })
}

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  const s = await start({ backend: process.env.B || 'http://127.0.0.1:8080', port: Number(process.env.PORT || 18127) })
  console.log(`H5 on ${s.url}, /mp/ → ${process.env.B || 'http://127.0.0.1:8080'}`)
}
