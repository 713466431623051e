build-ident/core/secretbox.o: core/secretbox.c core/secretbox.h
core/secretbox.h:
