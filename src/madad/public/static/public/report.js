/* The public report form's proof of work (see madad/public/report_guard.py): before the form
   is sent, find a counter such that SHA-256(challenge + ":" + counter) starts with
   data-work-bits zero bits, and send it in the hidden field "work". crypto.subtle where the
   browser has it (only on https and localhost); otherwise SHA-256 below, in plain JavaScript.
   Also: the receipt page's copy button, and focus on a form's errors. No libraries. */
(function () {
  "use strict";

  var K = [
    0x428a2f98, 0x71374491, 0xb5c0fbcf, 0xe9b5dba5, 0x3956c25b, 0x59f111f1, 0x923f82a4, 0xab1c5ed5,
    0xd807aa98, 0x12835b01, 0x243185be, 0x550c7dc3, 0x72be5d74, 0x80deb1fe, 0x9bdc06a7, 0xc19bf174,
    0xe49b69c1, 0xefbe4786, 0x0fc19dc6, 0x240ca1cc, 0x2de92c6f, 0x4a7484aa, 0x5cb0a9dc, 0x76f988da,
    0x983e5152, 0xa831c66d, 0xb00327c8, 0xbf597fc7, 0xc6e00bf3, 0xd5a79147, 0x06ca6351, 0x14292967,
    0x27b70a85, 0x2e1b2138, 0x4d2c6dfc, 0x53380d13, 0x650a7354, 0x766a0abb, 0x81c2c92e, 0x92722c85,
    0xa2bfe8a1, 0xa81a664b, 0xc24b8b70, 0xc76c51a3, 0xd192e819, 0xd6990624, 0xf40e3585, 0x106aa070,
    0x19a4c116, 0x1e376c08, 0x2748774c, 0x34b0bcb5, 0x391c0cb3, 0x4ed8aa4a, 0x5b9cca4f, 0x682e6ff3,
    0x748f82ee, 0x78a5636f, 0x84c87814, 0x8cc70208, 0x90befffa, 0xa4506ceb, 0xbef9a3f7, 0xc67178f2
  ];
  var W = new Int32Array(64);

  function rotr(x, n) {
    return (x >>> n) | (x << (32 - n));
  }

  var INITIAL = [0x6a09e667, 0xbb67ae85, 0x3c6ef372, 0xa54ff53a, 0x510e527f, 0x9b05688c, 0x1f83d9ab, 0x5be0cd19];

  /* One 64-byte block of `data` at `offset` into the eight words of `state` (changed in place). */
  function compress(state, data, offset) {
    var i;
    for (i = 0; i < 16; i++) {
      var p = offset + i * 4;
      W[i] = (data[p] << 24) | (data[p + 1] << 16) | (data[p + 2] << 8) | data[p + 3];
    }
    for (i = 16; i < 64; i++) {
      var w15 = W[i - 15], w2 = W[i - 2];
      var s0 = rotr(w15, 7) ^ rotr(w15, 18) ^ (w15 >>> 3);
      var s1 = rotr(w2, 17) ^ rotr(w2, 19) ^ (w2 >>> 10);
      W[i] = (W[i - 16] + s0 + W[i - 7] + s1) | 0;
    }
    var a = state[0], b = state[1], c = state[2], d = state[3];
    var e = state[4], f = state[5], g = state[6], h = state[7];
    for (i = 0; i < 64; i++) {
      var t1 = (h + (rotr(e, 6) ^ rotr(e, 11) ^ rotr(e, 25)) + ((e & f) ^ (~e & g)) + K[i] + W[i]) | 0;
      var t2 = ((rotr(a, 2) ^ rotr(a, 13) ^ rotr(a, 22)) + ((a & b) ^ (a & c) ^ (b & c))) | 0;
      h = g; g = f; f = e; e = (d + t1) | 0;
      d = c; c = b; b = a; a = (t1 + t2) | 0;
    }
    state[0] = (state[0] + a) | 0; state[1] = (state[1] + b) | 0;
    state[2] = (state[2] + c) | 0; state[3] = (state[3] + d) | 0;
    state[4] = (state[4] + e) | 0; state[5] = (state[5] + f) | 0;
    state[6] = (state[6] + g) | 0; state[7] = (state[7] + h) | 0;
  }

  /* `tail` (the bytes after `done` bytes already compressed into `state`) padded as SHA-256
     pads a message of done + tail.length bytes, compressed into `state`. */
  function finish(state, tail, tailLength, done, buffer) {
    var total = done + tailLength;
    var blocks = (tailLength + 9 + 63) >> 6;
    var end = blocks * 64;
    buffer.fill(0, 0, end);
    buffer.set(tail.subarray(0, tailLength));
    buffer[tailLength] = 0x80;
    var bitsHigh = Math.floor(total / 0x20000000);
    var bitsLow = (total << 3) >>> 0;
    buffer[end - 8] = bitsHigh >>> 24; buffer[end - 7] = bitsHigh >>> 16;
    buffer[end - 6] = bitsHigh >>> 8; buffer[end - 5] = bitsHigh;
    buffer[end - 4] = bitsLow >>> 24; buffer[end - 3] = bitsLow >>> 16;
    buffer[end - 2] = bitsLow >>> 8; buffer[end - 1] = bitsLow;
    for (var offset = 0; offset < end; offset += 64) compress(state, buffer, offset);
  }

  function digestBytes(state) {
    var out = new Uint8Array(32);
    for (var n = 0; n < 8; n++) {
      out[n * 4] = state[n] >>> 24; out[n * 4 + 1] = state[n] >>> 16;
      out[n * 4 + 2] = state[n] >>> 8; out[n * 4 + 3] = state[n];
    }
    return out;
  }

  /* SHA-256 of a Uint8Array, as a Uint8Array of 32 bytes. */
  function sha256(bytes) {
    var state = new Int32Array(INITIAL);
    var full = bytes.length - (bytes.length % 64);
    for (var offset = 0; offset < full; offset += 64) compress(state, bytes, offset);
    finish(state, bytes.subarray(full), bytes.length - full, full, new Uint8Array(128));
    return digestBytes(state);
  }

  function ascii(text) {
    var bytes = new Uint8Array(text.length);
    for (var i = 0; i < text.length; i++) bytes[i] = text.charCodeAt(i) & 0xff;
    return bytes;
  }

  function hex(bytes) {
    var out = "";
    for (var i = 0; i < bytes.length; i++) out += (bytes[i] < 16 ? "0" : "") + bytes[i].toString(16);
    return out;
  }

  function hasZeroBits(digest, bits) {
    var i = 0;
    for (; bits >= 8; bits -= 8, i++) if (digest[i] !== 0) return false;
    return bits === 0 || (digest[i] >> (8 - bits)) === 0;
  }

  /* The challenge is ASCII (base64 and colons); the counter is decimal digits. */
  function message(prefix, counter) {
    var digits = String(counter);
    var bytes = new Uint8Array(prefix.length + digits.length);
    bytes.set(prefix);
    for (var i = 0; i < digits.length; i++) bytes[prefix.length + i] = digits.charCodeAt(i);
    return bytes;
  }

  /* Whether the state's first words start with `bits` zero bits. */
  function stateHasZeroBits(state, bits) {
    for (var n = 0; bits > 0; n++, bits -= 32) {
      if (bits >= 32) { if (state[n] !== 0) return false; }
      else if ((state[n] >>> (32 - bits)) !== 0) return false;
    }
    return true;
  }

  /* The whole 64-byte blocks of challenge + ":" are the same for every counter: they are
     compressed once, and each try only hashes what is left with the counter's digits. */
  function solvePlain(challenge, bits) {
    var prefix = ascii(challenge + ":");
    var full = prefix.length - (prefix.length % 64);
    var middle = new Int32Array(INITIAL);
    for (var offset = 0; offset < full; offset += 64) compress(middle, prefix, offset);
    var rest = prefix.length - full;
    var tail = new Uint8Array(rest + 24);
    tail.set(prefix.subarray(full));
    var buffer = new Uint8Array(128);
    var state = new Int32Array(8);
    var counter = 0;
    return new Promise(function (resolve) {
      (function slice() {
        for (var stop = counter + 20000; counter < stop; counter++) {
          var digits = String(counter);
          for (var i = 0; i < digits.length; i++) tail[rest + i] = digits.charCodeAt(i);
          state.set(middle);
          finish(state, tail, rest + digits.length, full, buffer);
          if (stateHasZeroBits(state, bits)) return resolve(counter);
        }
        setTimeout(slice, 0); // let the page breathe: the status message shows
      })();
    });
  }

  function solveSubtle(challenge, bits) {
    var prefix = ascii(challenge + ":");
    var batch = 256;
    function from(start) {
      var digests = [];
      for (var n = start; n < start + batch; n++) {
        digests.push(window.crypto.subtle.digest("SHA-256", message(prefix, n)));
      }
      return Promise.all(digests).then(function (results) {
        for (var k = 0; k < results.length; k++) {
          if (hasZeroBits(new Uint8Array(results[k]), bits)) return start + k;
        }
        return from(start + batch);
      });
    }
    return from(0);
  }

  function subtleAvailable() {
    return !!(window.crypto && window.crypto.subtle && typeof window.crypto.subtle.digest === "function");
  }

  function solve(challenge, bits) {
    if (!subtleAvailable()) return solvePlain(challenge, bits);
    return solveSubtle(challenge, bits).catch(function () {
      return solvePlain(challenge, bits);
    });
  }

  window.madadReport = {
    sha256Hex: function (text) { return hex(sha256(ascii(text))); },
    solve: solve,
    solvePlain: solvePlain
  };

  function prepare(form) {
    var bits = parseInt(form.getAttribute("data-work-bits"), 10) || 0;
    var challenge = form.querySelector("input[name=challenge]");
    var work = form.querySelector("input[name=work]");
    var button = form.querySelector("[data-work-button]");
    var status = form.querySelector("[data-work-status]");
    if (!challenge || !work) return;
    var busy = false;
    form.addEventListener("submit", function (event) {
      if (work.value) return; // prepared: let it go
      event.preventDefault();
      if (busy) return;
      busy = true;
      if (button) button.disabled = true;
      if (status) status.textContent = form.getAttribute("data-preparing");
      form.setAttribute("aria-busy", "true");
      solve(challenge.value, bits).then(function (counter) {
        work.value = String(counter);
        if (status) status.textContent = form.getAttribute("data-sending");
        form.submit();
      }, function () {
        busy = false;
        form.removeAttribute("aria-busy");
        if (button) button.disabled = false;
        if (status) status.textContent = form.getAttribute("data-failed");
      });
    });
  }

  function copyButton(button) {
    var target = document.getElementById(button.getAttribute("data-copy"));
    var status = document.querySelector("[data-copy-status]");
    if (!target) return;
    button.hidden = false;
    button.addEventListener("click", function () {
      var text = target.textContent.trim();
      var done = function () { if (status) status.textContent = button.getAttribute("data-copied"); };
      var select = function () {
        var range = document.createRange();
        range.selectNodeContents(target);
        var selection = window.getSelection();
        selection.removeAllRanges();
        selection.addRange(range);
        try { if (document.execCommand("copy")) done(); } catch (e) { /* selected: copy by hand */ }
      };
      if (navigator.clipboard && navigator.clipboard.writeText) {
        navigator.clipboard.writeText(text).then(done, select);
      } else {
        select();
      }
    });
  }

  function start() {
    Array.prototype.forEach.call(document.querySelectorAll("form[data-work-bits]"), prepare);
    Array.prototype.forEach.call(document.querySelectorAll("button[data-copy]"), copyButton);
    var errors = document.getElementById("report-errors");
    if (errors) errors.focus();
  }

  if (document.readyState === "loading") document.addEventListener("DOMContentLoaded", start);
  else start();
})();
