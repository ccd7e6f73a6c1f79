// Passkeys (WebAuthn): the browser makes or uses the credential, through allauth's
// copy of GitHub's webauthn-json (loaded before this file); the server checks it
// (allauth.mfa with fido2). A button with data-passkey="create" or "get" names the
// <script type="application/json"> holding the server's options in data-options.
(function () {
  'use strict'
  document.querySelectorAll('button[data-passkey]').forEach(function (button) {
    const form = button.form
    const input = form.querySelector('input[name="credential"]')
    const failed = document.getElementById(button.dataset.failed)
    button.hidden = !window.PublicKeyCredential
    button.addEventListener('click', async function (event) {
      event.preventDefault()
      const options = JSON.parse(document.getElementById(button.dataset.options).textContent)
      try {
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
