#!/usr/bin/env python3
# SPDX-License-Identifier: MIT
"""Writes fixtures/fetch-mirror/: a tiny synthetic EDGAR (three companies,
their submissions with the 8-K items in their headers, daily and quarterly
form.idx, submissions JSON with a paged history and the items column,
company_tickers.json, Feed .nc members). Run once; the output is committed.
Kept so the fixtures can be regenerated."""
import json, os, sys

ROOT = os.path.join(os.path.dirname(__file__), '..', '..', 'fixtures', 'fetch-mirror')

CO = {
    '1000001': 'ACME WIDGETS INC',
    '1000002': 'BETA HOLDINGS AND COMPANY OF THE GREATER METROPOLITAN AREA INCORPORATED LP',
    '1000003': 'CAF\u00c9 SOCI\u00c9T\u00c9 SA',
}
# cik, accession, form, filed
FILINGS = [
    ('1000001', '0001000001-24-000004', '8-K', '2024-03-15'),
    ('1000001', '0001000001-24-000003', '10-Q', '2024-02-10'),
    ('1000001', '0001000001-24-000002', '8-K/A', '2024-01-20'),
    ('1000001', '0001000001-23-000009', '8-K', '2023-11-02'),
    ('1000001', '0001000001-19-000005', '8-K', '2019-05-06'),   # paged history
    ('1000001', '0001000001-19-000002', '10-K', '2019-03-01'),  # paged history
    ('1000001', '0001000001-18-000007', '8-K', '2018-07-09'),   # paged history
    ('1000002', '0001000002-24-000001', '8-K', '2024-03-15'),
    ('1000003', '0001193125-24-000101', '8-K', '2024-03-15'),   # filed by an agent
    ('1000003', '0001000003-24-000001', '8-K/A', '2024-02-20'),
]
# The 8-K items each 8-K states (header, submissions JSON, Feed .nc).
ITEMS = {
    '0001000001-24-000004': ['1.01', '3.02', '9.01'],
    '0001000001-24-000002': ['2.02', '9.01'],
    '0001000001-23-000009': ['8.01'],
    '0001000001-19-000005': ['5.02'],
    '0001000001-18-000007': ['1.01', '2.03'],
    '0001000002-24-000001': ['7.01', '9.01'],
    '0001193125-24-000101': ['3.02', '8.01'],
    '0001000003-24-000001': ['1.01'],
}
# As EDGAR writes them in an SGML header's ITEM INFORMATION lines.
TITLES = {
    '1.01': 'Entry into a Material Definitive Agreement',
    '2.02': 'Results of Operations and Financial Condition',
    '2.03': 'Creation of a Direct Financial Obligation or an Obligation under an '
            'Off-Balance Sheet Arrangement of a Registrant',
    '3.02': 'Unregistered Sales of Equity Securities',
    '5.02': 'Departure of Directors or Certain Officers; Election of Directors; '
            'Appointment of Certain Officers: Compensatory Arrangements of Certain Officers',
    '7.01': 'Regulation FD Disclosure',
    '8.01': 'Other Events',
    '9.01': 'Financial Statements and Exhibits',
}


def submission_txt(cik, acc, form, filed):
    d = filed.replace('-', '')
    body = ''.join('<p>%s paragraph %d of %s.</p>\n' % (CO[cik], i, acc) for i in range(40))
    return ('<SEC-DOCUMENT>%s.txt : %s\n<SEC-HEADER>%s.hdr.sgml : %s\n'
            'ACCESSION NUMBER:\t\t%s\nCONFORMED SUBMISSION TYPE:\t%s\n'
            'PUBLIC DOCUMENT COUNT:\t\t1\n%sFILED AS OF DATE:\t\t%s\n\nFILER:\n\n'
            '\tCOMPANY DATA:\t\n\t\tCOMPANY CONFORMED NAME:\t\t\t%s\n'
            '\t\tCENTRAL INDEX KEY:\t\t\t%010d\n</SEC-HEADER>\n<DOCUMENT>\n'
            '<TYPE>%s\n<SEQUENCE>1\n<FILENAME>doc1.htm\n<TEXT>\n<html><body>\n%s'
            '</body></html>\n</TEXT>\n</DOCUMENT>\n</SEC-DOCUMENT>\n'
            % (acc, d, acc, d, acc, form,
               ''.join('ITEM INFORMATION:\t\t%s\n' % TITLES[i] for i in ITEMS.get(acc, [])),
               d, CO[cik], int(cik), form, body))


def submission_nc(cik, acc, form, filed):
    d = filed.replace('-', '')
    head = ('<SUBMISSION>\n<ACCESSION-NUMBER>%s\r<TYPE>%s\r<PUBLIC-DOCUMENT-COUNT>1\r'
            '%s<FILING-DATE>%s\r<FILER>\r<COMPANY-DATA>\r<CONFORMED-NAME>%s\r<CIK>%010d\r'
            '</COMPANY-DATA>\r</FILER>\r'
            % (acc, form, ''.join('<ITEMS>%s\r' % i for i in ITEMS.get(acc, [])), d, CO[cik],
               int(cik)))
    body = ''.join('<p>Feed copy, paragraph %d.</p>\r' % i for i in range(30))
    return head + ('<DOCUMENT>\r<TYPE>%s\r<SEQUENCE>1\r<FILENAME>doc1.htm\r<TEXT>\r'
                   '<html><body>\r%s</body></html>\r</TEXT>\r</DOCUMENT>\r</SUBMISSION>\r'
                   % (form, body))


def form_idx(rows, title):
    out = ('Description:           %s\nLast Data Received:    March 31, 2024\n'
           'Comments:              webmaster@sec.gov\n'
           'Anonymous FTP:         ftp://ftp.sec.gov/edgar/\n \n \n \n'
           'Form Type   Company Name                                                  CIK         Date Filed  File Name\n'
           + '-' * 141 + '\n') % title
    lines = []
    for cik, acc, form, filed in rows:
        path = 'edgar/data/%s/%s.txt' % (cik, acc)
        lines.append('%-12s%-62s%-12s%-12s%s         ' % (form, CO[cik], cik, filed.replace('-', ''), path))
    return (out + '\n'.join(lines) + '\n').encode('latin-1')


def columns(rows):
    return {
        'accessionNumber': [r[1] for r in rows], 'filingDate': [r[3] for r in rows],
        'reportDate': ['' for r in rows], 'form': [r[2] for r in rows],
        'primaryDocument': ['doc1.htm' for r in rows],
        'items': [','.join(ITEMS.get(r[1], [])) for r in rows],
    }


def write(rel, data):
    p = os.path.join(ROOT, rel)
    os.makedirs(os.path.dirname(p), exist_ok=True)
    with open(p, 'wb') as f:
        f.write(data if isinstance(data, bytes) else data.encode('utf-8'))


def main():
    for cik, acc, form, filed in FILINGS:
        write('Archives/edgar/data/%s/%s/%s.txt' % (cik, acc.replace('-', ''), acc),
              submission_txt(cik, acc, form, filed))
    day = [r for r in FILINGS if r[3] == '2024-03-15']
    extra = [('1000001', '0001000001-24-000010', 'SC 14D9/A', '2024-03-15')]
    write('Archives/edgar/daily-index/2024/QTR1/form.20240315.idx',
          form_idx(day + extra, 'Daily Index of EDGAR Dissemination Feed by Form Type'))
    q1 = [r for r in FILINGS if r[3].startswith('2024-')]
    write('Archives/edgar/full-index/2024/QTR1/form.idx',
          form_idx(sorted(q1, key=lambda r: r[2]), 'Master Index of EDGAR Dissemination Feed by Form Type'))
    for cik in CO:
        rows = [r for r in FILINGS if r[0] == cik]
        recent, older = (rows[:4], rows[4:]) if cik == '1000001' else (rows, [])
        doc = {'cik': cik, 'name': CO[cik], 'tickers': [], 'filings': {
            'recent': columns(recent), 'files': []}}
        if older:
            page = 'CIK%010d-submissions-001.json' % int(cik)
            doc['filings']['files'].append({'name': page, 'filingCount': len(older),
                                            'filingFrom': older[-1][3], 'filingTo': older[0][3]})
            write('submissions/' + page, json.dumps(columns(older)))
        write('submissions/CIK%010d.json' % int(cik), json.dumps(doc))
    write('files/company_tickers.json', json.dumps({
        '0': {'cik_str': 1000001, 'ticker': 'ACMW', 'title': CO['1000001']},
        '1': {'cik_str': 1000002, 'ticker': 'BETA', 'title': CO['1000002']},
        '2': {'cik_str': 1000003, 'ticker': 'CAFE', 'title': CO['1000003']}}))
    # Feed members for 2024-03-15 (tarred at test time) and a non-8-K one.
    for cik, acc, form, filed in day + [('1000001', '0001000001-24-000011', '10-Q', '2024-03-15')]:
        write('feed-20240315/%s.nc' % acc.replace('-', ''), submission_nc(cik, acc, form, filed))


if __name__ == '__main__':
    sys.exit(main())
