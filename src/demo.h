/* demo.h - the built-in demo data set: the CSV files of data/demo/, embedded in the binary
 * at build time (tools/embed.c), loaded through the normal import code by `chitieu demo`. */
#ifndef CHITIEU_DEMO_H
#define CHITIEU_DEMO_H

#include <stddef.h>

struct embedded_file {
    const char *name;  /* file name, e.g. "units.csv" */
    const char *data;  /* its bytes (static) */
    size_t len;
};

/* The embedded files, ending with an entry whose name is NULL. */
extern const struct embedded_file embedded_files[];

#endif
