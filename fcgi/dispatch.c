/* dispatch.c — owns the FastCGI connections of one worker process between
 * requests; see dispatch.h. One epoll set per worker process; every serving
 * thread waits in it for one event at a time. The listening socket and the
 * idle kept connections are armed one-shot, so an event reaches one thread
 * of the process, which re-arms the listening socket right after its accept
 * and a kept connection after serving it. Other worker processes watch the
 * same listening socket in their own sets: a new connection may wake one
 * thread in each, and the one whose accept finds nothing goes back to
 * waiting. */
#include "dispatch.h"

#include <errno.h>
#include <fcntl.h>
#include <stdatomic.h>
#include <stdbool.h>
#include <stdlib.h>
#include <sys/epoll.h>
#include <sys/socket.h>
#include <time.h>
#include <unistd.h>

#include "platform/log.h"

#define WAIT_MS 500  /* a waiting thread looks at quit at least this often */
#define PAUSE_MS 100 /* accepting pauses this long when out of descriptors */

struct dispatch {
    int listen_fd;
    int ep;
    atomic_bool draining, quit;
    atomic_int open;
};

static void arm_listener(dispatch *d)
{
    struct epoll_event ev = {.events = EPOLLIN | EPOLLONESHOT, .data.fd = d->listen_fd};
    if (!atomic_load(&d->draining))
        epoll_ctl(d->ep, EPOLL_CTL_MOD, d->listen_fd, &ev); /* ENOENT once a drain removed it */
}

/* One new connection, or -1 (none waiting: another thread or worker took
 * it). The listening socket is re-armed for the next one either way. */
static int accept_one(dispatch *d)
{
    for (;;) {
        int fd = accept4(d->listen_fd, NULL, NULL, SOCK_CLOEXEC);
        if (fd >= 0) {
            arm_listener(d);
            atomic_fetch_add(&d->open, 1);
            return fd;
        }
        if (errno == EINTR || errno == ECONNABORTED)
            continue;
        if (errno == EMFILE || errno == ENFILE) {
            log_warn("worker: out of file descriptors accepting connections; pausing %d ms", PAUSE_MS);
            nanosleep(&(struct timespec){.tv_nsec = PAUSE_MS * 1000000L}, NULL);
        } else if (errno != EAGAIN && errno != EWOULDBLOCK) {
            log_warn("worker: accept failed (errno %d)", errno);
        }
        arm_listener(d);
        return -1;
    }
}

dispatch *dispatch_start(int listen_fd)
{
    dispatch *d = calloc(1, sizeof *d);
    if (!d)
        return NULL;
    d->listen_fd = listen_fd;
    d->ep = epoll_create1(EPOLL_CLOEXEC);
    int fl = fcntl(listen_fd, F_GETFL);
    struct epoll_event le = {.events = EPOLLIN | EPOLLONESHOT, .data.fd = listen_fd};
    if (d->ep < 0 || fl < 0 || fcntl(listen_fd, F_SETFL, fl | O_NONBLOCK) != 0 ||
        epoll_ctl(d->ep, EPOLL_CTL_ADD, listen_fd, &le) != 0) {
        log_error("worker: cannot watch the listening socket (errno %d)", errno);
        if (d->ep >= 0)
            close(d->ep);
        free(d);
        return NULL;
    }
    return d;
}

int dispatch_take(dispatch *d)
{
    while (!atomic_load(&d->quit)) {
        struct epoll_event ev;
        int n = epoll_wait(d->ep, &ev, 1, WAIT_MS);
        if (n <= 0)
            continue; /* timeout, or EINTR (the drain's nudge) */
        if (ev.data.fd == d->listen_fd) {
            int fd = accept_one(d);
            if (fd >= 0)
                return fd;
            continue;
        }
        return ev.data.fd;
    }
    return -1;
}

void dispatch_keep(dispatch *d, int fd)
{
    struct epoll_event ev = {.events = EPOLLIN | EPOLLRDHUP | EPOLLONESHOT, .data.fd = fd};
    /* the descriptor stays in the set after its one-shot event: re-arm it; a
     * number closed and accepted anew is not in the set yet */
    if (epoll_ctl(d->ep, EPOLL_CTL_MOD, fd, &ev) == 0 ||
        (errno == ENOENT && epoll_ctl(d->ep, EPOLL_CTL_ADD, fd, &ev) == 0))
        return;
    close(fd);
    atomic_fetch_sub(&d->open, 1);
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
    if (d)
        atomic_store(&d->quit, true);
}

void dispatch_free(dispatch *d)
{
    if (!d)
        return;
    close(d->ep); /* idle kept connections close with the process, which ends next */
    free(d);
}
