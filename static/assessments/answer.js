// Saves an answer as soon as it changes and says "Saved". Progressive
// enhancement only: without this file, "Save and continue" posts the form.
// Saves run one after another, each carrying the version the last returned,
// so a person never conflicts with their own earlier save.

const form = document.querySelector('form[data-autosave]')

if (form) {
  const status = form.querySelector('#autosave-status')
  const level = document.getElementById('level-achieved')
  const version = form.querySelector('input[name="version"]')
  const nextLevel = document.getElementById('next-level')
  let queue = Promise.resolve()
  let typing = null
  let stopped = false

  const say = (text, isError = false) => {
    status.textContent = text
    status.classList.toggle('nhsuk-error-message', isError)
  }

  const showLevel = (text) => {
    const strong = document.createElement('strong')
    strong.textContent = text
    level.replaceChildren(strong)
  }

  const list = (heading, lines) => {
    const section = document.createElement('div')
    const title = document.createElement('h3')
    title.textContent = heading
    const items = document.createElement('ul')
    items.className = 'nhsuk-list'
    for (const line of lines) {
      const item = document.createElement('li')
      item.textContent = line
      items.append(item)
    }
    section.append(title, items)
    return section
  }

  const showConflict = (data) => {
    stopped = true
    const box = document.createElement('div')
    box.className = 'nhsuk-warning-callout'
    box.id = 'conflict'
    const label = document.createElement('h2')
    label.className = 'nhsuk-warning-callout__label'
    label.textContent = `Changed by ${data.changed_by}`
    const message = document.createElement('p')
    message.textContent = `${data.detail} Press “Save and continue” to choose.`
    box.append(label, message, list('Their answer (saved)', data.theirs), list('Your answer (not saved)', data.yours))
    form.before(box)
    say('Not saved: someone else changed this answer.', true)
  }

  const save = async () => {
    if (stopped) return
    const body = new FormData(form)
    say('Saving…')
    let response
    try {
      response = await fetch(form.dataset.autosave, {
        method: 'POST',
        body,
        credentials: 'same-origin',
        headers: { 'X-CSRFToken': body.get('csrfmiddlewaretoken'), Accept: 'application/json' }
      })
    } catch {
      say('Not saved: check your connection. Your answer is still on this page.', true)
      return
    }
    const data = await response.json().catch(() => ({}))
    if (response.ok) {
      version.value = data.version
      showLevel(data.level_text)
      nextLevel.textContent = data.next_level
      say(`Saved at ${data.at}`)
    } else if (response.status === 409) {
      showConflict(data)
    } else {
      if (response.status === 401) stopped = true
      say(data.detail || 'Not saved. Press “Save and continue” to try again.', true)
    }
  }

  const enqueue = () => {
    queue = queue.then(save)
    return queue
  }

  form.addEventListener('change', (event) => {
    if (event.target.matches('input[type="checkbox"]')) enqueue()
  })
  form.addEventListener('input', (event) => {
    if (!event.target.matches('textarea')) return
    clearTimeout(typing)
    typing = setTimeout(enqueue, 800)
  })
  form.addEventListener('submit', (event) => {
    // Let any save in flight finish first, so the form carries its version.
    if (form.dataset.submitting) return
    event.preventDefault()
    clearTimeout(typing)
    form.dataset.submitting = 'yes'
    queue.then(() => form.submit())
  })
}
