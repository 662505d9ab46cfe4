/* mem.h - memory hints for large arrays.  Fresh memory is faulted in 4 KiB pages, and on this
 * kind of machine a page fault costs more than the arithmetic done on the page; asking for
 * transparent huge pages on big arrays cuts the faults by 512. */
#ifndef CHITIEU_MEM_H
#define CHITIEU_MEM_H

#include <stddef.h>

/* Asks the kernel to back the 2 MiB-aligned interior of p[0..n) with huge pages; a hint only:
 * does nothing for small blocks or where unsupported, never fails. */
void mem_huge(void *p, size_t n);

#endif
