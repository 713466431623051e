// views/not-found.js — what an unknown address shows (instead of silently
// landing on another page): the address asked for and a way on.
import { h } from '../dom.js';
import { pageHeader } from '../components/page.js';

export default {
  render(root, ctx) {
    root.append(
      pageHeader('Page not found'),
      h('section', { class: 'panel', dataset: { notFound: ctx.path } },
        h('p', null, 'There is no page at ', h('code', null, `#${ctx.path}`), '. The link may be mistyped or out of date.'),
        h('p', null, h('a', { href: '#/overview' }, 'Go to the overview'))));
  },
};
