// "Read aloud" for children who read slowly or not yet in this language. Uses the phone's own
// speech synthesis (no external service). A button reads the element its data-target names:
// each block (heading, paragraph, statement, choice) as its own utterance, so there is a short
// pause between them, and each text with a voice for its own language, the nearest lang
// attribute (a Swedish fallback on an Arabic page read by an Arabic voice is gibberish).
// Controls are not read, nor what is marked data-read-aloud-skip; a <select> is read as its
// choices, each once. Texts in a language the phone has no voice for are left out, and the
// button stays hidden when that is all of them. A second tap stops.
(function () {
  "use strict";
  if (!("speechSynthesis" in window)) return;
  var synth = window.speechSynthesis;
  var SKIP = "button,input,textarea,summary,svg,script,style,a.button,[aria-hidden=true]," +
    "[data-read-aloud-skip]";
  var active = null;
  var run = 0;

  function base(code) { return (code || "").toLowerCase().split(/[-_]/)[0]; }

  function voiceFor(lang) {
    var voices = synth.getVoices() || [];
    for (var i = 0; i < voices.length; i++) {
      if (base(voices[i].lang) === lang) return voices[i];
    }
    return null;
  }

  function langOf(element) {
    var marked = element.closest("[lang]");
    return base((marked && marked.getAttribute("lang")) || document.documentElement.lang);
  }

  // The text under root as [{text, lang}]: a new piece at every block and change of language.
  function pieces(root) {
    var out = [];
    var current = null;
    var said = {};
    function add(text, lang) {
      if (current && current.lang === lang) current.text += text;
      else if (/\S/.test(text)) out.push(current = { text: text, lang: lang });
    }
    function walk(node) {
      if (node.nodeType === 3) return add(node.nodeValue, langOf(node.parentNode));
      if (node.nodeType !== 1) return;
      if (node.tagName === "BR") { current = null; return; }
      if (node.matches(SKIP) || !node.getClientRects().length) return;
      if (node.tagName === "SELECT") {
        for (var i = 0; i < node.options.length; i++) {
          var option = node.options[i];
          if (option.value && !said[option.text]) {
            said[option.text] = true;
            current = null;
            add(option.text, langOf(option));
          }
        }
        current = null;
        return;
      }
      var block = window.getComputedStyle(node).display !== "inline";
      if (block) current = null;
      for (var child = node.firstChild; child; child = child.nextSibling) walk(child);
      if (block) current = null;
    }
    walk(root);
    return out;
  }

  // What the button would say, with a voice for each piece; pieces without one are left out.
  function parts(button) {
    var target = document.getElementById(button.getAttribute("data-target"));
    return (target ? pieces(target) : []).filter(function (piece) {
      piece.text = piece.text.replace(/\s+/g, " ").trim();
      piece.voice = voiceFor(piece.lang);
      return piece.text && piece.voice;
    });
  }

  function stop() {
    run++;
    synth.cancel();
    if (active) active.textContent = active.dataset.label;
    active = null;
  }

  function toggle(button) {
    var again = active === button;
    stop();
    var list = again ? [] : parts(button);
    if (!list.length) return;
    var mine = run;
    var ended = function () { if (mine === run) stop(); };
    active = button;
    button.textContent = button.getAttribute("data-stop-label");
    list.forEach(function (piece, i) {
      var utterance = new SpeechSynthesisUtterance(piece.text);
      utterance.lang = piece.lang;
      utterance.voice = piece.voice;
      utterance.onerror = ended;
      if (i === list.length - 1) utterance.onend = ended;
      synth.speak(utterance);
    });
  }

  function setUp() {
    document.querySelectorAll("[data-read-aloud-button]").forEach(function (button) {
      if (!button.dataset.label) {
        button.dataset.label = button.textContent;
        button.addEventListener("click", function () { toggle(button); });
      }
      if (button !== active) button.hidden = !parts(button).length;
    });
  }

  synth.addEventListener("voiceschanged", setUp);
  window.addEventListener("pagehide", function () { if (active) stop(); });
  window.MedskapaReadAloud = { setUp: setUp };
  setUp();
})();
