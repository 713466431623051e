build-ident/fcgi/handlers/health.o: fcgi/handlers/health.c \
 fcgi/handlers/handlers.h fcgi/handlers/../router.h core/http.h \
 core/config.h core/db.h
fcgi/handlers/handlers.h:
fcgi/handlers/../router.h:
core/http.h:
core/config.h:
core/db.h:
