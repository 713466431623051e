/* dispatch.c — owns the FastCGI connections of one worker process between
 * requests; see dispatch.h. The dispatcher thread waits in epoll_wait on the
 * listening socket (shared by the worker processes, EPOLLEXCLUSIVE) and on
 * the idle kept connections (one-shot: a connection is watched again only
 * when its thread hands it back). Ready connections go into a FIFO queue
 * that the serving threads take from. */
#include "dispatch.h"

#include <errno.h>
#include <fcntl.h>
#include <pthread.h>
#include <stdatomic.h>
#include <stdbool.h>
#include <stdlib.h>
#include <sys/epoll.h>
#include <sys/resource.h>
#include <sys/socket.h>
#include <unistd.h>

#include "platform/log.h"

#define WAIT_MS 100      /* the dispatcher looks at quit at least this often */
#define PAUSE_MS 100     /* accepting pauses this long when out of descriptors */
#define EVENTS 64
#define QUEUE_FIRST 256  /* the queue grows by doubling: a queued connection is an open descriptor */

enum { FD_NONE, FD_WATCHED };

struct dispatch {
    int listen_fd;
    int ep;
    pthread_t thread;
    bool thread_started;
    pthread_mutex_t mu;
    pthread_cond_t ready;
    int *queue; /* ring of connections with a request waiting (under mu) */
    size_t cap, head, count;
    unsigned char *state; /* per descriptor: FD_WATCHED while idle in epoll (under mu) */
    int nstate;
    atomic_bool draining, quit;
    atomic_int open;
};

static bool push(dispatch *d, int fd)
{
    if (d->count == d->cap) {
        size_t cap = d->cap ? d->cap * 2 : QUEUE_FIRST;
        int *q = malloc(cap * sizeof *q);
        if (!q)
            return false;
        for (size_t i = 0; i < d->count; i++)
            q[i] = d->queue[(d->head + i) % d->cap];
        free(d->queue);
        d->queue = q;
        d->cap = cap;
        d->head = 0;
    }
    d->queue[(d->head + d->count) % d->cap] = fd;
    d->count++;
    return true;
}

/* Queue a connection with a request waiting; close it when it cannot be. */
static void enqueue(dispatch *d, int fd)
{
    pthread_mutex_lock(&d->mu);
    if (fd < d->nstate)
        d->state[fd] = FD_NONE;
    bool ok = !atomic_load(&d->quit) && push(d, fd);
    if (ok)
        pthread_cond_signal(&d->ready);
    pthread_mutex_unlock(&d->mu);
    if (!ok) {
        close(fd);
        atomic_fetch_sub(&d->open, 1);
    }
}

static bool accept_all(dispatch *d)
{
    for (;;) {
        int fd = accept4(d->listen_fd, NULL, NULL, SOCK_CLOEXEC);
        if (fd >= 0) {
            atomic_fetch_add(&d->open, 1);
            enqueue(d, fd);
            continue;
        }
        if (errno == EINTR || errno == ECONNABORTED)
            continue;
        if (errno == EAGAIN || errno == EWOULDBLOCK)
            return true;
        if (errno == EMFILE || errno == ENFILE) {
            log_warn("worker: out of file descriptors accepting connections; pausing %d ms", PAUSE_MS);
            return false;
        }
        log_warn("worker: accept failed (errno %d)", errno);
        return false;
    }
}

static void *dispatcher(void *arg)
{
    dispatch *d = arg;
    struct epoll_event ev[EVENTS];
    bool paused = false;
    while (!atomic_load(&d->quit)) {
        int n = epoll_wait(d->ep, ev, EVENTS, paused ? PAUSE_MS : WAIT_MS);
        if (paused && !atomic_load(&d->draining)) {
            struct epoll_event le = {.events = EPOLLIN | EPOLLEXCLUSIVE, .data.fd = d->listen_fd};
            paused = epoll_ctl(d->ep, EPOLL_CTL_ADD, d->listen_fd, &le) != 0;
        }
        for (int i = 0; i < n; i++) {
            int fd = ev[i].data.fd;
            if (fd != d->listen_fd) {
                enqueue(d, fd);
            } else if (!atomic_load(&d->draining) && !accept_all(d)) {
                epoll_ctl(d->ep, EPOLL_CTL_DEL, d->listen_fd, NULL);
                paused = true;
            }
        }
    }
    return NULL;
}

dispatch *dispatch_start(int listen_fd)
{
    dispatch *d = calloc(1, sizeof *d);
    if (!d)
        return NULL;
    d->listen_fd = listen_fd;
    struct rlimit rl;
    d->nstate = getrlimit(RLIMIT_NOFILE, &rl) == 0 && rl.rlim_cur < 1048576 ? (int)rl.rlim_cur : 1048576;
    d->state = calloc((size_t)d->nstate, 1);
    d->ep = epoll_create1(EPOLL_CLOEXEC);
    int fl = fcntl(listen_fd, F_GETFL);
    struct epoll_event le = {.events = EPOLLIN | EPOLLEXCLUSIVE, .data.fd = listen_fd};
    bool ok = d->state && d->ep >= 0 && fl >= 0 && fcntl(listen_fd, F_SETFL, fl | O_NONBLOCK) == 0 &&
              epoll_ctl(d->ep, EPOLL_CTL_ADD, listen_fd, &le) == 0 && pthread_mutex_init(&d->mu, NULL) == 0;
    if (ok && pthread_cond_init(&d->ready, NULL) != 0) {
        pthread_mutex_destroy(&d->mu);
        ok = false;
    }
    if (ok && pthread_create(&d->thread, NULL, dispatcher, d) != 0) {
        pthread_cond_destroy(&d->ready);
        pthread_mutex_destroy(&d->mu);
        ok = false;
    }
    if (!ok) {
        log_error("worker: cannot start the connection dispatcher (errno %d)", errno);
        if (d->ep >= 0)
            close(d->ep);
        free(d->state);
        free(d);
        return NULL;
    }
    d->thread_started = true;
    return d;
}

int dispatch_take(dispatch *d)
{
    pthread_mutex_lock(&d->mu);
    while (d->count == 0 && !atomic_load(&d->quit))
        pthread_cond_wait(&d->ready, &d->mu);
    int fd = -1;
    if (d->count > 0 && !atomic_load(&d->quit)) {
        fd = d->queue[d->head];
        d->head = (d->head + 1) % d->cap;
        d->count--;
    }
    pthread_mutex_unlock(&d->mu);
    return fd;
}

void dispatch_keep(dispatch *d, int fd)
{
    struct epoll_event ev = {.events = EPOLLIN | EPOLLRDHUP | EPOLLONESHOT, .data.fd = fd};
    pthread_mutex_lock(&d->mu);
    /* the descriptor stays registered after its one-shot event: re-arm it;
     * a number closed and accepted anew is not registered yet. Under mu, so
     * dispatch_quit sees it either watched or not yet handed back. */
    bool watched = !atomic_load(&d->quit) && fd < d->nstate &&
                   (epoll_ctl(d->ep, EPOLL_CTL_MOD, fd, &ev) == 0 ||
                    (errno == ENOENT && epoll_ctl(d->ep, EPOLL_CTL_ADD, fd, &ev) == 0));
    if (watched)
        d->state[fd] = FD_WATCHED;
    pthread_mutex_unlock(&d->mu);
    if (!watched) {
        close(fd);
        atomic_fetch_sub(&d->open, 1);
    }
}

void dispatch_closed(dispatch *d) { atomic_fetch_sub(&d->open, 1); }

void dispatch_drain(dispatch *d)
{
    atomic_store(&d->draining, true);
    epoll_ctl(d->ep, EPOLL_CTL_DEL, d->listen_fd, NULL);
}

int dispatch_open(dispatch *d) { return atomic_load(&d->open); }

void dispatch_quit(dispatch *d)
{
    if (!d)
        return;
    pthread_mutex_lock(&d->mu);
    atomic_store(&d->quit, true);
    pthread_cond_broadcast(&d->ready);
    pthread_mutex_unlock(&d->mu);
    if (d->thread_started) {
        pthread_join(d->thread, NULL);
        d->thread_started = false;
    }
    pthread_mutex_lock(&d->mu);
    for (int fd = 0; fd < d->nstate; fd++) {
        if (d->state[fd] == FD_WATCHED) {
            d->state[fd] = FD_NONE;
            close(fd);
            atomic_fetch_sub(&d->open, 1);
        }
    }
    for (; d->count > 0; d->count--) {
        close(d->queue[d->head]);
        d->head = (d->head + 1) % d->cap;
        atomic_fetch_sub(&d->open, 1);
    }
    pthread_mutex_unlock(&d->mu);
}

void dispatch_free(dispatch *d)
{
    if (!d)
        return;
    close(d->ep);
    pthread_cond_destroy(&d->ready);
    pthread_mutex_destroy(&d->mu);
    free(d->queue);
    free(d->state);
    free(d);
}
