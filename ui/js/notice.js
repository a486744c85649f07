// The page's one alert line: an API's error message, shown until dismissed or replaced.

const box = () => document.getElementById('alert');

export function showError(err) {
  const message = err && err.message ? err.message : String(err);
  document.getElementById('alert-text').textContent = message;
  box().hidden = false;
}

export function clearError() {
  box().hidden = true;
}

export function wireNotice() {
  document.getElementById('alert-close').addEventListener('click', clearError);
}
