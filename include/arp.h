/* arp.h - ARP requests and replies for targets on a connected subnet */
#ifndef IPSWEEP_ARP_H
#define IPSWEEP_ARP_H

#include <stddef.h>
#include <stdint.h>

/* An Ethernet/IPv4 ARP packet without the link-layer header. */
#define ARP_LEN 28

struct arp_packet {
	uint16_t oper;        /* 1 request, 2 reply */
	uint8_t sha[6];       /* sender hardware address */
	uint32_t spa;         /* sender protocol address, host order */
	uint8_t tha[6];
	uint32_t tpa;
};

/*
 * arp_build_request -- an ARP request "who has TPA? tell SPA (SHA)" into
 * BUF.  Returns ARP_LEN, or 0 when LEN is too small.
 */
size_t arp_build_request(uint8_t *buf, size_t len, const uint8_t sha[6],
    uint32_t spa, uint32_t tpa);

/*
 * arp_parse -- decode LEN bytes of BUF as an Ethernet/IPv4 ARP packet
 * (hardware type 1, protocol 0x0800, lengths 6 and 4, operation 1 or 2).
 * Anything else, or fewer than ARP_LEN bytes, returns -1.  Returns 0 and
 * fills *P otherwise.  A sender address of 0.0.0.0 (an ARP probe, RFC
 * 5227) is refused too: it proves nothing about any address.
 */
int arp_parse(const uint8_t *buf, size_t len, struct arp_packet *p);

/*
 * arp_pack_macs -- two MAC addresses into four 32-bit words (for a pipe
 * record), and back.
 */
void arp_pack_macs(const uint8_t a[6], const uint8_t b[6], uint32_t w[4]);
void arp_unpack_macs(const uint32_t w[4], uint8_t a[6], uint8_t b[6]);

/* arp_format_mac -- "aa:bb:cc:dd:ee:ff" into BUF (18 bytes); returns BUF */
char *arp_format_mac(const uint8_t mac[6], char buf[18]);

#endif
