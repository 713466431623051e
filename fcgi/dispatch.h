/* dispatch.h — the FastCGI connections of one worker process, handed to its
 * threads one request at a time (docs/architecture.md "FastCGI connections").
 *
 * nginx keeps its connections to the workers open between requests
 * (fastcgi_keep_conn on, upstream keepalive). libfcgi alone would block a
 * thread on each kept connection while nginx leaves it idle, so connections
 * waiting to be accepted starve behind idle ones. Here one dispatcher thread
 * watches the listening socket and every idle kept connection with epoll; a
 * connection with a request waiting (new or kept) goes into one queue, in
 * order, and the next free thread serves it. A thread never waits on an idle
 * connection. */
#ifndef VS_DISPATCH_H
#define VS_DISPATCH_H

typedef struct dispatch dispatch;

/* Watch listen_fd (made non-blocking) and start the dispatcher thread; NULL
 * on failure. */
dispatch *dispatch_start(int listen_fd);

/* The next connection with a request waiting, for a serving thread; blocks.
 * -1 once dispatch_quit was called. */
int dispatch_take(dispatch *d);

/* A served connection that nginx keeps open: watch it for its next request.
 * During a drain the connection is still watched: nginx may send one more
 * request on it before it closes its idle connections. */
void dispatch_keep(dispatch *d, int fd);

/* A connection taken with dispatch_take was closed (by libfcgi). */
void dispatch_closed(dispatch *d);

/* Stop accepting new connections (other workers take them); kept ones are
 * still served until nginx closes them. */
void dispatch_drain(dispatch *d);

/* Connections open in this worker: queued, being served or kept idle. */
int dispatch_open(dispatch *d);

/* Wake every waiting thread (dispatch_take returns -1), stop the dispatcher
 * thread and close the idle connections left. */
void dispatch_quit(dispatch *d);

/* After dispatch_quit and once the serving threads have ended. */
void dispatch_free(dispatch *d);

#endif
