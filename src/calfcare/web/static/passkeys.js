// Passkeys on the sign-in and account pages (server mode). The form stays hidden in a
// browser without passkeys. On submit: ask the server for the options (the form token
// goes with them; the challenge stays on the server), let the browser make or use a
// passkey, put its answer in the form's hidden field and send the form as any other.

const toBytes = (text) => {
  const base64 = text.replace(/-/g, '+').replace(/_/g, '/');
  const padded = base64 + '='.repeat((4 - (base64.length % 4)) % 4);
  return Uint8Array.from(atob(padded), (c) => c.charCodeAt(0));
};

const toText = (buffer) => {
  let binary = '';
  for (const byte of new Uint8Array(buffer)) binary += String.fromCharCode(byte);
  return btoa(binary).replace(/\+/g, '-').replace(/\//g, '_').replace(/=+$/, '');
};

const described = (list) => (list || []).map((c) => ({ ...c, id: toBytes(c.id) }));

async function optionsFor(form) {
  const body = new URLSearchParams({ csrftoken: form.elements.csrftoken.value });
  const response = await fetch(form.dataset.options, {
    method: 'POST', body, credentials: 'same-origin', headers: { accept: 'application/json' },
  });
  const json = await response.json();
  if (!response.ok) throw Object.assign(new Error(json.error), { words: json.error });
  return json;
}

// The browser's answer as the server reads it: byte fields in base64url.
const answer = (credential, response) => JSON.stringify({
  id: credential.id,
  rawId: toText(credential.rawId),
  type: credential.type,
  response,
  clientExtensionResults: credential.getClientExtensionResults(),
});

async function made(json) {
  const credential = await navigator.credentials.create({
    publicKey: {
      ...json,
      challenge: toBytes(json.challenge),
      user: { ...json.user, id: toBytes(json.user.id) },
      excludeCredentials: described(json.excludeCredentials),
    },
  });
  const { response } = credential;
  return answer(credential, {
    clientDataJSON: toText(response.clientDataJSON),
    attestationObject: toText(response.attestationObject),
    transports: response.getTransports ? response.getTransports() : [],
  });
}

async function used(json) {
  const credential = await navigator.credentials.get({
    publicKey: {
      ...json,
      challenge: toBytes(json.challenge),
      allowCredentials: described(json.allowCredentials),
    },
  });
  const { response } = credential;
  return answer(credential, {
    clientDataJSON: toText(response.clientDataJSON),
    authenticatorData: toText(response.authenticatorData),
    signature: toText(response.signature),
    userHandle: response.userHandle ? toText(response.userHandle) : null,
  });
}

function wire(form, ceremony) {
  const status = form.querySelector('[data-passkey-status]');
  const button = form.querySelector('button[type=submit]');
  form.hidden = false;
  form.addEventListener('submit', async (event) => {
    event.preventDefault();
    status.textContent = '';
    button.disabled = true;
    try {
      form.elements.credential.value = await ceremony(await optionsFor(form));
      form.submit();
    } catch (error) {
      status.textContent = error.words || form.dataset.failed;
      button.disabled = false;
    }
  });
}

if (window.PublicKeyCredential && navigator.credentials) {
  for (const note of document.querySelectorAll('[data-passkey-missing]')) note.hidden = true;
  const add = document.getElementById('passkey-add');
  if (add) wire(add, made);
  const signIn = document.getElementById('passkey-sign-in');
  if (signIn) wire(signIn, used);
}
