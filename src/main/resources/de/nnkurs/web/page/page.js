// Draw a digit: the page posts the drawing (or an uploaded picture) to DJL Serving's inference
// API, POST {server}/predictions/{model}?topK=10, and shows the answer: the top digit, the ten
// probabilities and the 28x28 picture the network saw (response header X-Nnkurs-Seen, base64 of
// 784 gray bytes). Plain JavaScript, no framework, nothing fetched from elsewhere.
"use strict";

(function () {
  // MNIST's digits are white ink on black. The server scales the drawn digit into 20x20, so a
  // 20 px stroke on a digit ~200 px tall becomes ~2 px, MNIST's stroke width.
  var LINE_WIDTH = 20;
  var SIDE = 28;

  var params = new URLSearchParams(window.location.search);
  var pageOrigin = /^https?:$/.test(window.location.protocol) ? window.location.origin : null;
  var server = (params.get("server") || pageOrigin || "http://127.0.0.1:8080").replace(/\/+$/, "");
  var model = params.get("model") || "mnist";
  var endpoint = server + "/predictions/" + encodeURIComponent(model) + "?topK=10";

  var canvas = document.getElementById("canvas");
  var ink = canvas.getContext("2d");
  var prediction = document.getElementById("prediction");
  var message = document.getElementById("message");
  var bars = document.getElementById("probabilities");
  var partial = document.getElementById("partial");
  var seen = document.getElementById("seen");
  var seenNote = document.getElementById("seen-note");
  var fileInput = document.getElementById("file");
  var uploadName = document.getElementById("upload-name");

  document.getElementById("server").textContent = server;
  document.getElementById("model").textContent = model;

  // Requests sent and answered (or failed), for tests and for dropping late answers.
  var sent = 0;
  var answered = 0;
  var wanted = 0; // the request whose answer is shown; 0 after Clear
  var drawn = false;
  var active = null; // the pointer drawing now
  var last = null;

  function setState(state) {
    document.body.dataset.state = state;
    document.body.dataset.sent = String(sent);
    document.body.dataset.answered = String(answered);
  }

  // --- the ten bars -------------------------------------------------------------------------
  var rows = [];
  for (var d = 0; d < 10; d++) {
    var row = document.createElement("div");
    row.className = "bar";
    row.dataset.digit = String(d);
    var label = document.createElement("span");
    label.className = "digit";
    label.textContent = String(d);
    var track = document.createElement("span");
    track.className = "track";
    var fill = document.createElement("span");
    fill.className = "fill";
    track.appendChild(fill);
    var pct = document.createElement("span");
    pct.className = "pct";
    row.appendChild(label);
    row.appendChild(track);
    row.appendChild(pct);
    bars.appendChild(row);
    rows.push({ row: row, fill: fill, pct: pct });
  }

  function showBars(probabilities) {
    for (var d = 0; d < 10; d++) {
      var p = probabilities[d];
      var r = rows[d];
      r.row.classList.remove("best");
      if (p === undefined) {
        r.row.dataset.probability = "";
        r.fill.style.width = "0";
        r.pct.textContent = "–";
      } else {
        r.row.dataset.probability = String(p);
        r.fill.style.width = (100 * p).toFixed(1) + "%";
        r.pct.textContent = (100 * p).toFixed(1) + " %";
      }
    }
  }

  // --- the drawing --------------------------------------------------------------------------
  function blank() {
    ink.fillStyle = "#000";
    ink.fillRect(0, 0, canvas.width, canvas.height);
    ink.strokeStyle = "#fff";
    ink.fillStyle = "#fff";
    ink.lineWidth = LINE_WIDTH;
    ink.lineCap = "round";
    ink.lineJoin = "round";
    drawn = false;
  }

  function point(e) {
    var box = canvas.getBoundingClientRect();
    return {
      x: ((e.clientX - box.left) * canvas.width) / box.width,
      y: ((e.clientY - box.top) * canvas.height) / box.height,
    };
  }

  function dot(p) {
    ink.beginPath();
    ink.arc(p.x, p.y, LINE_WIDTH / 2, 0, 2 * Math.PI);
    ink.fill();
  }

  function segment(from, to) {
    ink.beginPath();
    ink.moveTo(from.x, from.y);
    ink.lineTo(to.x, to.y);
    ink.stroke();
  }

  canvas.addEventListener("pointerdown", function (e) {
    if (active !== null || (e.pointerType === "mouse" && e.button !== 0)) {
      return;
    }
    e.preventDefault();
    active = e.pointerId;
    canvas.setPointerCapture(e.pointerId);
    last = point(e);
    dot(last);
    drawn = true;
  });

  canvas.addEventListener("pointermove", function (e) {
    if (e.pointerId !== active) {
      return;
    }
    e.preventDefault();
    var events = e.getCoalescedEvents ? e.getCoalescedEvents() : [];
    if (events.length === 0) {
      events = [e];
    }
    for (var i = 0; i < events.length; i++) {
      var p = point(events[i]);
      segment(last, p);
      last = p;
    }
  });

  function endStroke(e) {
    if (e.pointerId !== active) {
      return;
    }
    active = null;
    last = null;
    if (e.type === "pointerup") {
      predictDrawing();
    }
  }
  canvas.addEventListener("pointerup", endStroke);
  canvas.addEventListener("pointercancel", endStroke);

  function predictDrawing() {
    if (!drawn) {
      message.textContent = "Erst eine Ziffer zeichnen. / Draw a digit first.";
      return;
    }
    uploadName.hidden = true;
    canvas.toBlob(function (png) {
      send(png, "image/png");
    }, "image/png");
  }

  document.getElementById("predict").addEventListener("click", predictDrawing);

  document.getElementById("clear").addEventListener("click", function () {
    blank();
    wanted = 0; // an answer still on its way is dropped
    prediction.textContent = "";
    message.textContent = "";
    partial.hidden = true;
    showBars([]);
    clearSeen("");
    fileInput.value = "";
    uploadName.hidden = true;
    setState("ready");
  });

  fileInput.addEventListener("change", function () {
    var file = fileInput.files && fileInput.files[0];
    if (!file) {
      return;
    }
    fileInput.value = ""; // the same file chosen again is sent again
    uploadName.textContent = "Hochgeladen / Uploaded: " + file.name;
    uploadName.hidden = false;
    send(file, file.type || "application/octet-stream");
  });

  // --- the server ---------------------------------------------------------------------------
  function send(body, type) {
    var number = ++sent;
    wanted = number;
    message.textContent = "";
    setState("busy");
    fetch(endpoint, { method: "POST", headers: { "Content-Type": type }, body: body })
      .then(function (response) {
        return response.text().then(function (text) {
          return { response: response, text: text };
        });
      })
      .then(
        function (r) {
          if (number === wanted) {
            if (r.response.ok) {
              showAnswer(r.text, r.response.headers.get("X-Nnkurs-Seen"));
            } else {
              showError(r.response.status, r.text);
            }
          }
        },
        function (error) {
          if (number === wanted) {
            message.textContent =
              "Server nicht erreichbar / Server not reachable: POST " + endpoint +
              " (" + error.message + "; läuft er, erlaubt er CORS? / is it running, does it allow CORS?)";
            setState("error");
          }
        }
      )
      .catch(function (error) {
        message.textContent = "Fehler / Error: " + error;
        setState("error");
      })
      .then(function () {
        answered++;
        var state = document.body.dataset.state;
        setState(state === "busy" && answered === sent ? "ready" : state);
      });
  }

  function showError(status, text) {
    var reason = text.trim().slice(0, 300);
    try {
      var json = JSON.parse(text);
      if (json && typeof json.message === "string") {
        reason = json.message;
      }
    } catch (ignored) {
      // not JSON: the text as it came
    }
    message.textContent = "Fehler / Error " + status + ": " + reason;
    setState("error");
  }

  function showAnswer(text, seenHeader) {
    var list;
    try {
      list = JSON.parse(text);
    } catch (e) {
      list = null;
    }
    if (!Array.isArray(list) || list.length === 0) {
      message.textContent =
        "Unerwartete Antwort / Unexpected answer: " + text.trim().slice(0, 300);
      setState("error");
      return;
    }
    var probabilities = [];
    var best = null;
    for (var i = 0; i < list.length; i++) {
      var digit = parseInt(list[i].className, 10);
      var p = Number(list[i].probability);
      if (digit >= 0 && digit <= 9) {
        probabilities[digit] = p;
        if (best === null || p > probabilities[best]) {
          best = digit;
        }
      }
    }
    prediction.textContent = best === null ? "" : String(best);
    showBars(probabilities);
    if (best !== null) {
      rows[best].row.classList.add("best");
    }
    var count = probabilities.filter(function (p) { return p !== undefined; }).length;
    partial.hidden = count === 10;
    partial.textContent =
      "Der Server nannte nur " + count + " von 10 Ziffern. / The server listed only " + count +
      " of the 10 digits.";
    if (seenHeader) {
      showSeen(seenHeader);
    } else {
      clearSeen(
        "Nicht verfügbar: dieser Server sendet das Bild nicht (X-Nnkurs-Seen). / " +
          "Not available: this server does not send the picture (X-Nnkurs-Seen)."
      );
    }
    setState("ready");
  }

  function clearSeen(note) {
    var g = seen.getContext("2d");
    g.fillStyle = "#000";
    g.fillRect(0, 0, SIDE, SIDE);
    seen.dataset.seen = "";
    seenNote.hidden = note === "";
    seenNote.textContent = note;
  }

  function showSeen(base64) {
    var gray;
    try {
      gray = window.atob(base64);
    } catch (e) {
      gray = "";
    }
    if (gray.length !== SIDE * SIDE) {
      clearSeen("Unbrauchbares Bild vom Server / Unusable picture from the server (X-Nnkurs-Seen).");
      return;
    }
    var g = seen.getContext("2d");
    var image = g.createImageData(SIDE, SIDE);
    for (var i = 0; i < SIDE * SIDE; i++) {
      var v = gray.charCodeAt(i);
      image.data[4 * i] = v;
      image.data[4 * i + 1] = v;
      image.data[4 * i + 2] = v;
      image.data[4 * i + 3] = 255;
    }
    g.putImageData(image, 0, 0);
    seen.dataset.seen = base64;
    seenNote.hidden = true;
  }

  blank();
  showBars([]);
  clearSeen("");
  setState("ready");
})();
