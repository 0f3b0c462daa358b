// A stand-in for the portal's BX24.js in the browser tests, served in place of
// bitrix24.frame_sdk_url. It has the global API the call card's bridge uses (reference bitrix24.md
// §5.4) and, like the real one, refuses to start outside a frame named "DOMAIN|PROTOCOL|APP_SID"
// (BX24 = null and an error) and runs init callbacks only after the parent answered. Instead of
// Bitrix24's own wire format it speaks the harness page's postMessage protocol (harness.mjs):
// placement.call(cmd) → method cmd, refreshAuth → getAuth, resizeWindow → resize.
;(function () {
  'use strict'
  var parts = (window.name || '').split('|')
  if (!parts[0] || !parts[2]) {
    window.BX24 = null
    throw new Error('Unable to initialize Bitrix24 JS library!')
  }
  var nextId = 1
  var pending = {}
  var events = {}
  var info = null
  var auth = false
  var initList = []

  window.addEventListener('message', function (e) {
    if (e.source !== window.parent) return
    var m = e.data
    if (!m || m.opdesk !== 'bridge') return
    if (m.event) {
      ;(events[m.event] || []).forEach(function (cb) {
        cb(m.data)
      })
      return
    }
    var cb = pending[m.id]
    delete pending[m.id]
    // Like the portal, an error is never answered: the callback just does not fire.
    if (cb && !m.error) cb(m.result)
  })

  function send(method, params, cb) {
    var id = nextId++
    if (cb) pending[id] = cb
    window.parent.postMessage({ opdesk: 'bridge', id: id, method: method, params: params || {} }, '*')
  }

  window.BX24 = {
    init: function (cb) {
      if (info) setTimeout(cb, 0)
      else initList.push(cb)
    },
    placement: {
      info: function () {
        return info
      },
      call: function (cmd, params, cb) {
        send(cmd, params, cb)
      },
      bindEvent: function (event, cb) {
        ;(events[event] = events[event] || []).push(cb)
      }
    },
    getAuth: function () {
      return auth
    },
    refreshAuth: function (cb) {
      send('getAuth', {}, function (a) {
        auth = a
        if (cb) cb(a)
      })
    },
    resizeWindow: function (width, height, cb) {
      send('resize', { width: width, height: height }, cb)
    }
  }

  send('placementInfo', {}, function (r) {
    info = r
    initList.splice(0).forEach(function (cb) {
      setTimeout(cb, 0)
    })
  })
})()
