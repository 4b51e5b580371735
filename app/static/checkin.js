// Check-in desk: scan attendees' QR codes with the camera where the browser has BarcodeDetector.
// Without it (or without JavaScript) the section stays hidden and staff search by name.
(function () {
  "use strict";

  function targetOf(raw) {
    // The code holds the URL /checkin/<token>; open it on this site whatever host it names.
    var text = String(raw || "").trim();
    var at = text.indexOf("/checkin/");
    var token = at >= 0 ? text.slice(at + "/checkin/".length) : text;
    token = token.split(/[?#]/)[0];
    return /^[A-Za-z0-9_.\-]+$/.test(token) ? "/checkin/" + token : null;
  }

  document.addEventListener("DOMContentLoaded", function () {
    var section = document.querySelector("[data-scanner]");
    if (!section || !("BarcodeDetector" in window) || !navigator.mediaDevices) {
      return;
    }
    section.hidden = false;
    var start = section.querySelector("[data-scan-start]");
    var video = section.querySelector("[data-scan-video]");
    var status = section.querySelector("[data-scan-status]");
    var detector = new window.BarcodeDetector({ formats: ["qr_code"] });

    start.addEventListener("click", function () {
      navigator.mediaDevices.getUserMedia({ video: { facingMode: "environment" }, audio: false })
        .then(function (stream) {
          video.srcObject = stream;
          video.hidden = false;
          start.hidden = true;
          status.textContent = start.dataset.scanning || "";
          return video.play().then(function () { scan(stream); });
        })
        .catch(function (error) {
          status.textContent = String(error && error.message ? error.message : error);
        });
    });

    function scan(stream) {
      detector.detect(video).then(function (codes) {
        for (var i = 0; i < codes.length; i++) {
          var target = targetOf(codes[i].rawValue);
          if (target) {
            stream.getTracks().forEach(function (track) { track.stop(); });
            window.location.assign(target);
            return;
          }
        }
        window.setTimeout(function () { scan(stream); }, 250);
      }).catch(function () {
        window.setTimeout(function () { scan(stream); }, 500);
      });
    }
  });
})();
