// components/player.js — one in-page audio player for recordings and
// voicemails: native <audio controls> (keyboard usable), a caption saying what
// is playing, and its state in data-state (idle|loading|playing|paused|ended|error).
import { h } from '../dom.js';

export function audioPlayer(label = 'Player') {
  const audio = h('audio', { controls: true, preload: 'none', class: 'player-audio' });
  const caption = h('p', { class: 'player-caption', 'aria-live': 'polite' }, 'Choose a recording to play it here.');
  const el = h('section', { class: 'player', 'aria-label': label, dataset: { state: 'idle' } }, caption, audio);
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
  return {
    el,
    audio,
    /** Play url, describing it as `what` ("Recording of +1 212 … on 3 May"). */
    play(url, what, button) {
      if (current && current !== button) current.removeAttribute('aria-pressed');
      current = button ?? null;
      button?.setAttribute('aria-pressed', 'true');
      caption.dataset.what = what;
      caption.textContent = `Now playing: ${what}`;
      set('loading');
      if (audio.getAttribute('src') !== url) audio.src = url;
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
