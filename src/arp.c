/* arp.c - build ARP requests and decode ARP packets; no syscalls */
#include <stdio.h>
#include <string.h>

#include "arp.h"

static void
arp_put16(uint8_t *p, uint16_t v)
{
	p[0] = (uint8_t)(v >> 8);
	p[1] = (uint8_t)v;
}

static void
arp_put32(uint8_t *p, uint32_t v)
{
	p[0] = (uint8_t)(v >> 24);
	p[1] = (uint8_t)(v >> 16);
	p[2] = (uint8_t)(v >> 8);
	p[3] = (uint8_t)v;
}

static uint32_t
arp_get32(const uint8_t *p)
{
	return (uint32_t)p[0] << 24 | (uint32_t)p[1] << 16 |
	    (uint32_t)p[2] << 8 | p[3];
}

size_t
arp_build_request(uint8_t *buf, size_t len, const uint8_t sha[6],
    uint32_t spa, uint32_t tpa)
{
	if (len < ARP_LEN)
		return 0;
	memset(buf, 0, ARP_LEN);
	arp_put16(buf, 1);          /* Ethernet */
	arp_put16(buf + 2, 0x0800); /* IPv4 */
	buf[4] = 6;
	buf[5] = 4;
	arp_put16(buf + 6, 1);      /* request */
	memcpy(buf + 8, sha, 6);
	arp_put32(buf + 14, spa);
	/* target hardware address stays zero */
	arp_put32(buf + 24, tpa);
	return ARP_LEN;
}

int
arp_parse(const uint8_t *buf, size_t len, struct arp_packet *p)
{
	memset(p, 0, sizeof(*p));
	if (len < ARP_LEN || buf[0] != 0 || buf[1] != 1 || buf[2] != 0x08 ||
	    buf[3] != 0x00 || buf[4] != 6 || buf[5] != 4 || buf[6] != 0 ||
	    (buf[7] != 1 && buf[7] != 2))
		return -1;
	p->oper = buf[7];
	memcpy(p->sha, buf + 8, 6);
	p->spa = arp_get32(buf + 14);
	memcpy(p->tha, buf + 18, 6);
	p->tpa = arp_get32(buf + 24);
	if (p->spa == 0) {
		memset(p, 0, sizeof(*p));
		return -1;
	}
	return 0;
}

void
arp_pack_macs(const uint8_t a[6], const uint8_t b[6], uint32_t w[4])
{
	w[0] = arp_get32(a);
	w[1] = (uint32_t)a[4] << 8 | a[5];
	w[2] = arp_get32(b);
	w[3] = (uint32_t)b[4] << 8 | b[5];
}

void
arp_unpack_macs(const uint32_t w[4], uint8_t a[6], uint8_t b[6])
{
	arp_put32(a, w[0]);
	a[4] = (uint8_t)(w[1] >> 8);
	a[5] = (uint8_t)w[1];
	arp_put32(b, w[2]);
	b[4] = (uint8_t)(w[3] >> 8);
	b[5] = (uint8_t)w[3];
}

char *
arp_format_mac(const uint8_t mac[6], char buf[18])
{
	snprintf(buf, 18, "%02x:%02x:%02x:%02x:%02x:%02x", mac[0], mac[1],
	    mac[2], mac[3], mac[4], mac[5]);
	return buf;
}
