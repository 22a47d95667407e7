// "Read aloud" for children who read slowly or not yet in this language. Uses the phone's own
// speech synthesis (no external service); the button stays hidden when the phone has no
// voice for the page's language.
(function () {
  "use strict";
  if (!("speechSynthesis" in window)) return;
  var lang = document.documentElement.lang;

  function voice() {
    var voices = window.speechSynthesis.getVoices() || [];
    for (var i = 0; i < voices.length; i++) {
      if ((voices[i].lang || "").toLowerCase().split(/[-_]/)[0] === lang) return voices[i];
    }
    return null;
  }

  function setUp() {
    var found = voice();
    document.querySelectorAll("[data-read-aloud-button]").forEach(function (button) {
      button.hidden = !found;
      if (!found || button.dataset.ready) return;
      button.dataset.ready = "1";
      button.addEventListener("click", function () {
        var target = document.getElementById(button.getAttribute("data-target"));
        if (!target) return;
        window.speechSynthesis.cancel();
        var utterance = new SpeechSynthesisUtterance(target.innerText);
        utterance.lang = lang;
        utterance.voice = voice();
        window.speechSynthesis.speak(utterance);
      });
    });
  }

  window.speechSynthesis.addEventListener("voiceschanged", setUp);
  window.MedskapaReadAloud = { setUp: setUp };
  setUp();
})();
