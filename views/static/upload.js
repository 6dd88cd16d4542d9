// Upload page: sends the form with XMLHttpRequest to follow the upload, then waits for the load and goes to
// its report. The CSRF token travels in a header: the server checks it before reading a multipart body.
(() => {
  const form = document.getElementById('depot');
  if (!form) return;
  const input = document.getElementById('fichiers');
  const button = document.getElementById('envoyer');
  const tracker = document.getElementById('suivi-depot');
  const progress = document.getElementById('progression');
  const progressLabel = tracker.querySelector('label');
  const status = document.getElementById('etat-depot');
  const errorBox = document.getElementById('erreur-depot');
  const MAX_FILE_BYTES = 1024 ** 3;
  const megabytes = new Intl.NumberFormat('fr-FR', { maximumFractionDigits: 0 });
  const mb = (bytes) => `${megabytes.format(bytes / 1e6)} Mo`;

  const selectedKind = () => form.querySelector('input[name="kind"]:checked')?.value ?? 'dsn';

  // A register is one CSV file; DSN come by the hundred.
  const fitInputToKind = () => {
    const register = selectedKind() !== 'dsn';
    input.multiple = !register;
    if (register) input.setAttribute('accept', '.csv,text/csv');
    else input.removeAttribute('accept');
  };
  for (const radio of form.querySelectorAll('input[name="kind"]')) radio.addEventListener('change', fitInputToKind);
  fitInputToKind();

  const showError = (message) => {
    errorBox.replaceChildren();
    const alert = document.createElement('div');
    alert.className = 'fr-alert fr-alert--error fr-mt-2w';
    alert.setAttribute('role', 'alert');
    const title = document.createElement('h2');
    title.className = 'fr-alert__title';
    title.textContent = 'Rien n’a été chargé';
    const text = document.createElement('p');
    text.textContent = message;
    alert.append(title, text);
    errorBox.append(alert);
    status.textContent = '';
    tracker.hidden = true;
    button.disabled = false;
  };

  const serverMessage = (xhr) => {
    if (xhr.status === 408) {
      return 'L’envoi a duré plus longtemps que le serveur ne l’accepte : rien n’a été chargé. Déposez les fichiers en plusieurs fois, ou chargez-les sur le serveur avec la commande sillage ingest.';
    }
    try {
      const answer = JSON.parse(xhr.responseText);
      if (answer && typeof answer.erreur === 'string') return answer.erreur;
    } catch {
      // Not JSON: a proxy's page, for instance.
    }
    return `Le serveur a répondu par une erreur (${xhr.status}) : réessayez ; si l’erreur persiste, prévenez l’équipe technique.`;
  };

  form.addEventListener('submit', (event) => {
    event.preventDefault();
    errorBox.replaceChildren();
    const files = Array.from(input.files ?? []);
    if (files.length === 0) return showError('Choisissez au moins un fichier.');
    const huge = files.find((file) => file.size > MAX_FILE_BYTES);
    if (huge)
      return showError(
        `« ${huge.name} » dépasse 1 Gio, la taille maximale d’un fichier : découpez-le ou chargez-le avec la commande sillage ingest.`,
      );

    const total = files.reduce((sum, file) => sum + file.size, 0);
    button.disabled = true;
    tracker.hidden = false;
    progressLabel.textContent = 'Envoi des fichiers';
    progress.max = 100;
    progress.value = 0;
    status.textContent = `Envoi de ${files.length} fichier(s), ${mb(total)}…`;
    let announced = 0;

    const xhr = new XMLHttpRequest();
    xhr.open('POST', form.action);
    xhr.setRequestHeader('x-csrf-token', form.dataset.csrf ?? '');
    xhr.setRequestHeader('accept', 'application/json');
    xhr.upload.addEventListener('progress', (progressEvent) => {
      if (!progressEvent.lengthComputable) return;
      const percent = Math.floor((100 * progressEvent.loaded) / progressEvent.total);
      progress.value = percent;
      // The live region speaks every tenth, not at every event.
      if (percent >= announced + 10 && percent < 100) {
        announced = percent - (percent % 10);
        status.textContent = `Envoi : ${announced} % (${mb(progressEvent.loaded)} sur ${mb(progressEvent.total)}).`;
      }
    });
    xhr.upload.addEventListener('load', () => {
      progressLabel.textContent = 'Chargement et recalcul des indicateurs';
      progress.removeAttribute('value');
      status.textContent =
        'Fichiers envoyés. Chargement et recalcul des indicateurs… Cela peut prendre plusieurs minutes : gardez cette page ouverte.';
    });
    xhr.addEventListener('load', () => {
      if (xhr.status >= 200 && xhr.status < 300) {
        const answer = JSON.parse(xhr.responseText);
        status.textContent = 'Chargement terminé : ouverture du rapport…';
        window.location.assign(answer.rapport);
        return;
      }
      showError(serverMessage(xhr));
    });
    xhr.addEventListener('error', () =>
      showError(
        'La connexion au serveur a été interrompue. Vérifiez votre réseau, puis déposez de nouveau les fichiers : ce qui a déjà été chargé ne sera pas dédoublé.',
      ),
    );
    xhr.send(new FormData(form));
  });
})();
