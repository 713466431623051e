// components/player.js — one in-page audio player for recordings and
// voicemails: native <audio controls> (keyboard usable), a caption saying what
// is playing, and its state in data-state (idle|loading|playing|paused|ended|error).
// It is placed after the table and sticks to the bottom of the viewport
// (app.css .player), so Play on any row plays in sight, on desktop and phone;
// it stays hidden until something is played. The audio comes from the API's
// audio routes (getAudio: the bearer token, then a blob: URL), never from
// MightyCall's own URIs.
import { h } from '../dom.js';
import { getAudio } from '../api.js';

export function audioPlayer(label = 'Player') {
  const audio = h('audio', { controls: true, preload: 'none', class: 'player-audio' });
  const caption = h('p', { class: 'player-caption', 'aria-live': 'polite' }, 'Choose a recording to play it here.');
  const close = h('button', { type: 'button', class: 'btn btn-small player-close', 'aria-label': `Close ${label.toLowerCase()}` }, 'Close');
  const el = h('section', { class: 'player', 'aria-label': label, hidden: true, dataset: { state: 'idle' } },
    h('div', { class: 'player-head' }, caption, close), audio);
  const set = (s) => { el.dataset.state = s; };
  audio.addEventListener('playing', () => set('playing'));
  audio.addEventListener('pause', () => { if (!audio.ended) set('paused'); });
  audio.addEventListener('ended', () => set('ended'));
  audio.addEventListener('error', () => {
    if (!audio.getAttribute('src')) return;
    set('error');
    caption.textContent = `${caption.dataset.what ?? 'This recording'} could not be played. The file may no longer be available.`;
  });
  let current = null;
  let objectUrl = null;
  let loadCtl = null;
  let playing = null; // path of what is loaded
  const release = () => {
    if (objectUrl) URL.revokeObjectURL(objectUrl);
    objectUrl = null;
  };
  close.addEventListener('click', () => {
    loadCtl?.abort();
    audio.pause();
    audio.removeAttribute('src');
    audio.load();
    release();
    playing = null;
    current?.removeAttribute('aria-pressed');
    current?.focus();
    current = null;
    set('idle');
    el.hidden = true;
  });
  return {
    el,
    audio,
    /**
     * Play the audio route `path`, describing it as `what` ("recording of
     * +1 212 … on 3 May"); onStart() runs once the file is there and playing
     * was asked for (voicemails: mark read).
     */
    async play(path, what, button, { onStart } = {}) {
      if (current && current !== button) current.removeAttribute('aria-pressed');
      current = button ?? null;
      button?.setAttribute('aria-pressed', 'true');
      el.hidden = false;
      caption.dataset.what = what;
      caption.textContent = `Now playing: ${what}`;
      set('loading');
      if (playing !== path) {
        loadCtl?.abort();
        const ctl = new AbortController();
        loadCtl = ctl;
        let blob;
        try {
          blob = await getAudio(path, { signal: ctl.signal });
        } catch (err) {
          if (err?.name === 'AbortError') return;
          set('error');
          caption.textContent = `${what} could not be played (${err?.status === 404 ? 'the file is not available' : err?.message ?? 'error'}).`;
          return;
        }
        if (ctl.signal.aborted) return;
        release();
        objectUrl = URL.createObjectURL(blob);
        audio.src = objectUrl;
        playing = path;
      }
      onStart?.();
      const p = audio.play();
      p?.catch((err) => {
        if (err?.name === 'AbortError') return;
        set('error');
        caption.textContent = `${what} could not be played (${err?.name === 'NotAllowedError' ? 'the browser blocked playback; use the player controls' : 'unsupported or unavailable file'}).`;
      });
    },
    stop() { audio.pause(); },
  };
}
