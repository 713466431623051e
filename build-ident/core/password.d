build-ident/core/password.o: core/password.c core/password.h
core/password.h:
