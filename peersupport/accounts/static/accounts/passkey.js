// Passkeys (WebAuthn): the browser makes or uses the credential, through allauth's
// copy of GitHub's webauthn-json (loaded before this file); the server checks it
// (allauth.mfa with fido2). A button with data-passkey="create" or "get" names the
// <script type="application/json"> holding the server's options in data-options, or
// the address to fetch them from in data-options-url (signing in with a passkey alone).
(function () {
  'use strict'
  document.querySelectorAll('button[data-passkey]').forEach(function (button) {
    const form = button.form
    const input = form.querySelector('input[name="credential"]')
    const failed = document.getElementById(button.dataset.failed)
    button.hidden = !window.PublicKeyCredential
    button.addEventListener('click', async function (event) {
      event.preventDefault()
      try {
        const options = button.dataset.optionsUrl
          ? await (await fetch(button.dataset.optionsUrl, { credentials: 'same-origin' })).json()
          : JSON.parse(document.getElementById(button.dataset.options).textContent)
        const credential = button.dataset.passkey === 'create'
          ? await window.webauthnJSON.create(options)
          : await window.webauthnJSON.get(options)
        input.value = JSON.stringify(credential)
        form.submit()
      } catch (e) {
        failed.hidden = false
      }
    })
  })
})()
