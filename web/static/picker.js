// The council picker on the sign-up and preferences forms: the Add button adds the council typed
// (chosen from the native datalist suggestions) as a ticked checkbox, without reloading the page.
// Without JavaScript the same button sends the form, and the server adds it.
(function () {
  "use strict";
  var picker = document.getElementById("picker");
  if (!picker) return;
  var input = document.getElementById("authority-name");
  var add = document.getElementById("authority-add");
  var list = document.getElementById("chosen");
  var status = document.getElementById("chosen-status");
  var options = document.querySelectorAll("#authority-options option");

  function find(text) {
    var wanted = text.trim().toLowerCase();
    for (var i = 0; i < options.length; i++) {
      var option = options[i];
      if (option.value.toLowerCase() === wanted || option.dataset.slug === wanted) return option;
    }
    return null;
  }

  function chosenCount() {
    return list.querySelectorAll("input[name=authorities]:checked").length;
  }

  function say(text) {
    var n = chosenCount();
    status.textContent = text + " " + (n === 0 ? "No council" : n + (n === 1 ? " council" : " councils")) + " chosen.";
  }

  function addTyped(event) {
    // Nothing typed: Add is only the form's default button (Enter in another field), so send.
    if (!input.value.trim()) return;
    event.preventDefault();
    var option = find(input.value);
    if (!option) {
      input.setAttribute("aria-invalid", "true");
      say("There is no council called \u2018" + input.value.trim() + "\u2019: choose one from the suggestions.");
      input.focus();
      return;
    }
    input.removeAttribute("aria-invalid");
    var slug = option.dataset.slug;
    var existing = document.getElementById("chosen-" + slug);
    if (existing) {
      existing.checked = true;
      say(option.value + " is already chosen.");
    } else {
      var item = document.createElement("li");
      item.className = "checkbox";
      var box = document.createElement("input");
      box.type = "checkbox";
      box.name = "authorities";
      box.value = slug;
      box.id = "chosen-" + slug;
      box.checked = true;
      var label = document.createElement("label");
      label.htmlFor = box.id;
      label.textContent = option.value;
      item.appendChild(box);
      item.appendChild(label);
      list.appendChild(item);
      say(option.value + " added.");
    }
    input.value = "";
    input.focus();
  }

  add.addEventListener("click", addTyped);
  input.addEventListener("keydown", function (event) {
    if (event.key === "Enter" && input.value.trim()) addTyped(event);
  });
  list.addEventListener("change", function (event) {
    var label = event.target.labels && event.target.labels[0];
    if (label) say(label.textContent + (event.target.checked ? " chosen again." : " removed."));
  });
})();
