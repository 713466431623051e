build-ident/fcgi/routes.o: fcgi/routes.c fcgi/handlers/handlers.h \
 fcgi/handlers/../router.h core/http.h core/config.h core/db.h \
 fcgi/router.h
fcgi/handlers/handlers.h:
fcgi/handlers/../router.h:
core/http.h:
core/config.h:
core/db.h:
fcgi/router.h:
