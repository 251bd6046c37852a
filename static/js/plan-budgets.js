// The five budgets while the resident types: totals, loan schedules and checks follow every
// keystroke. These are the rules of coaching/budgets.py and coaching/checks.py (read their
// docstrings), in whole cents; the server computes the same figures again when the part is
// saved, and its numbers count. tests/browser/test_plan_figures.py compares the two.
"use strict";
(function () {
  const form = document.getElementById("plan-section");
  const dataElement = document.getElementById("plan-data");
  const limitsElement = document.getElementById("plan-limits");
  const amounts = window.OndernemerspuntAmounts;
  if (!form || !dataElement || !limitsElement || !amounts) return;
  const saved = JSON.parse(dataElement.textContent);
  const limits = JSON.parse(limitsElement.textContent);
  const sectionKey = form.dataset.section;
  const LOANS = ["qredits", "bank", "family", "other"];
  const KINDS = ["annuity", "linear", "bullet"];
  const MAX_TERM = 240;
  const YEARS = [1, 2, 3];
  const MONTHS = [1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12];

  // --- Reading what is typed or saved -------------------------------------------------------
  // An amount that cannot be read counts as nothing, as on the server (the form refuses it).
  function cents(value) {
    const result = amounts.readField(value, "amount");
    return result.error || result.value === null ? 0 : result.value;
  }

  // A rate in hundredths of a percent: 9,75% is 975.
  function rateHundredths(value) {
    const result = amounts.readField(value, "rate");
    return result.error || result.value === null ? 0 : result.value;
  }

  // A whole number as Django's IntegerField reads it ("60", "60.0"); anything else counts as
  // nothing, as the server leaves out a field it refuses.
  function whole(value) {
    if (typeof value === "number") return value > 0 ? Math.floor(value) : 0;
    if (!/^\s*\+?\d+(\.0*)?\s*$/.test(String(value || ""))) return 0;
    return parseInt(String(value).trim().replace(/^\+/, ""), 10);
  }

  function filled(value) {
    return value !== null && value !== undefined && value !== "";
  }

  function sum(values) {
    return values.reduce(function (a, b) { return a + b; }, 0);
  }

  // numerator / denominator rounded half up, exactly, for whole numbers >= 0.
  function divideRound(numerator, denominator) {
    let quotient = Math.floor(numerator / denominator);
    let rest = numerator - quotient * denominator;
    if (rest < 0) { quotient -= 1; rest += denominator; }
    if (rest >= denominator) { quotient += 1; rest -= denominator; }
    return 2 * rest >= denominator ? quotient + 1 : quotient;
  }

  // --- The part being typed, read from the form like the server stores it -------------------
  function typedSection() {
    const data = {};
    const rows = {};
    Array.prototype.forEach.call(form.elements, function (field) {
      if (!field.name || field.name === "csrfmiddlewaretoken" || field.name === "version") return;
      const match = /^assets-(\d+)-(\w+)$/.exec(field.name);
      if (match) {
        rows[match[1]] = rows[match[1]] || {};
        rows[match[1]][match[2]] = field.value;
      } else if (!/^assets-/.test(field.name)) {
        data[field.name] = field.value;
      }
    });
    if (sectionKey === "investment") {
      data.assets = Object.keys(rows)
        .sort(function (a, b) { return a - b; })
        .map(function (index) { return rows[index]; })
        .filter(function (row) { return filled(row.amount) || filled(row.description); });
    }
    if (sectionKey === "financing") {
      // What the server leaves out of a part it refuses: a free period as long as the term.
      LOANS.forEach(function (key) {
        const term = whole(data[key + "_months"]);
        if (term > 0 && whole(data[key + "_free_months"]) >= term) data[key + "_free_months"] = "";
      });
    }
    return data;
  }

  function isFilled(data) {
    return Object.keys(data).some(function (key) {
      if (key === "assets") {
        return (data.assets || []).some(function (row) { return filled(row.amount); });
      }
      if (/_kind$/.test(key)) return false; // a choice of loan kind is not a figure
      return key !== "turnover_explanation" && filled(data[key]);
    });
  }

  // --- The five budgets: coaching/budgets.py ------------------------------------------------
  function investment(data) {
    const assets = (data.assets || []).map(function (row) {
      const amount = cents(row.amount);
      const years = whole(row.years);
      return { amount: amount, years: years, depreciation: years ? divideRound(amount, years) : 0 };
    });
    const fixed = sum(assets.map(function (a) { return a.amount; }));
    const lines = ["stock", "startup_costs", "vat", "contingency", "cash"].map(function (key) {
      return cents(data[key]);
    });
    return {
      fixed_assets: fixed,
      startup_costs: cents(data.startup_costs),
      cash: cents(data.cash),
      total: fixed + sum(lines),
      depreciation: YEARS.map(function (year) {
        return sum(assets.filter(function (a) { return a.years >= year; }).map(function (a) {
          return a.depreciation;
        }));
      }),
    };
  }

  function annuityPayment(amount, rate, months) {
    if (months <= 0) return 0;
    if (!rate) return divideRound(amount, months);
    const r = rate / 120000;
    return Math.floor((amount * r) / (1 - Math.pow(1 + r, -months)) + 0.5);
  }

  // coaching/budgets.py loan_schedule: amount in cents, rate in hundredths of a percent.
  function loanSchedule(amount, rate, months, free, kind) {
    if (amount <= 0 || months < 1 || months > MAX_TERM) return [];
    if (!(free >= 0 && free < months)) free = 0;
    if (KINDS.indexOf(kind) === -1) kind = "annuity";
    const repaying = months - free;
    const annuity = annuityPayment(amount, rate, repaying);
    const linear = divideRound(amount, repaying);
    let balance = amount;
    const schedule = [];
    for (let number = 1; number <= months; number += 1) {
      const interest = divideRound(balance * rate, 120000);
      let repayment;
      if (number === months) repayment = balance;
      else if (number <= free || kind === "bullet") repayment = 0;
      else if (kind === "linear") repayment = linear;
      else repayment = annuity - interest;
      repayment = Math.min(Math.max(repayment, 0), balance);
      balance -= repayment;
      schedule.push({
        number: number, payment: interest + repayment, interest: interest,
        repayment: repayment, balance: balance,
      });
    }
    return schedule;
  }

  function scheduleYears(schedule) {
    const years = [];
    for (let index = 0; index < schedule.length; index += 12) {
      const months = schedule.slice(index, index + 12);
      years.push({
        year: index / 12 + 1,
        months: months,
        payment: sum(months.map(function (m) { return m.payment; })),
        interest: sum(months.map(function (m) { return m.interest; })),
        repayment: sum(months.map(function (m) { return m.repayment; })),
        balance: months[months.length - 1].balance,
      });
    }
    return years;
  }

  function loan(key, data) {
    const amount = cents(data[key + "_amount"]);
    const rate = rateHundredths(data[key + "_rate"]);
    const months = whole(data[key + "_months"]);
    const free = whole(data[key + "_free_months"]);
    const kind = data[key + "_kind"] || "annuity";
    const schedule = loanSchedule(amount, rate, months, free, kind);
    const years = scheduleYears(schedule);
    const perYear = function (name) {
      return YEARS.map(function (year) { return year <= years.length ? years[year - 1][name] : 0; });
    };
    const firstRepaying = free >= 0 && free < months ? free : 0;
    return {
      key: key, amount: amount, rate: rate, months: months, free: free, kind: kind,
      schedule: schedule, years: years,
      interest: perYear("interest"), repayment: perYear("repayment"),
      regular_payment: schedule.length ? schedule[firstRepaying].payment : 0,
      inMonth: function (number, name) {
        return number <= schedule.length ? schedule[number - 1][name] : 0;
      },
    };
  }

  function financing(data) {
    const loans = LOANS.map(function (key) { return loan(key, data); });
    const own = cents(data.own_funds);
    const loansTotal = sum(loans.map(function (l) { return l.amount; }));
    const total = function (pick) { return sum(loans.map(pick)); };
    return {
      own_funds: own,
      loans: loans,
      total: own + loansTotal + cents(data.supplier_credit),
      qredits: loans[0].amount,
      interest: [0, 1, 2].map(function (i) { return total(function (l) { return l.interest[i]; }); }),
      repayment: [0, 1, 2].map(function (i) { return total(function (l) { return l.repayment[i]; }); }),
      month_interest: MONTHS.map(function (m) { return total(function (l) { return l.inMonth(m, "interest"); }); }),
      month_repayment: MONTHS.map(function (m) { return total(function (l) { return l.inMonth(m, "repayment"); }); }),
    };
  }

  function operating(data, depreciation, interest, startupCosts) {
    return YEARS.map(function (year) {
      const v = {};
      ["turnover", "purchases", "rent", "car", "marketing", "insurance", "other_costs", "tax"].forEach(
        function (key) { v[key] = cents(data[key + "_" + year]); }
      );
      const grossMargin = v.turnover - v.purchases;
      const startup = year === 1 ? startupCosts : 0;
      const costs = v.rent + v.car + v.marketing + v.insurance + startup + depreciation[year - 1] +
        interest[year - 1] + v.other_costs;
      const result = grossMargin - costs;
      return {
        year: year,
        gross_margin: grossMargin,
        startup_costs: startup,
        depreciation: depreciation[year - 1],
        interest: interest[year - 1],
        costs: costs,
        result_before_tax: result,
        net_profit: result - v.tax,
      };
    });
  }

  function cashflow(data, opening, interest, repayment) {
    let balance = opening;
    const months = MONTHS.map(function (number) {
      const month = {
        number: number,
        opening: balance,
        receipts: cents(data["receipts_" + number]),
        payments: cents(data["payments_" + number]),
        interest: interest[number - 1],
        repayment: repayment[number - 1],
      };
      month.closing = balance + month.receipts - month.payments - month.interest - month.repayment;
      balance = month.closing;
      return month;
    });
    let lowest = months[0];
    months.forEach(function (m) { if (m.closing < lowest.closing) lowest = m; });
    const total = function (name) { return sum(months.map(function (m) { return m[name]; })); };
    return {
      months: months,
      receipts: total("receipts"),
      payments: total("payments"),
      interest: total("interest"),
      repayment: total("repayment"),
      lowest: lowest,
      first_negative: months.find(function (m) { return m.closing < 0; }) || null,
    };
  }

  function privateBudget(data) {
    const costs = sum(["housing", "energy", "health_insurance", "living", "transport", "other_costs"].map(
      function (key) { return cents(data[key]); }
    ));
    const income = sum(["partner_income", "allowances", "other_income"].map(function (key) {
      return cents(data[key]);
    }));
    const withdrawals = Math.max(costs - income, 0);
    return { costs: costs, income: income, withdrawals: withdrawals, withdrawals_per_year: withdrawals * 12 };
  }

  function figures(sections) {
    const inv = investment(sections.investment);
    const fin = financing(sections.financing);
    const filledFlags = {};
    Object.keys(sections).forEach(function (key) { filledFlags[key] = isFilled(sections[key]); });
    return {
      investment: inv,
      financing: fin,
      operating: operating(sections.operating, inv.depreciation, fin.interest, inv.startup_costs),
      cashflow: cashflow(sections.cashflow, inv.cash, fin.month_interest, fin.month_repayment),
      private_budget: privateBudget(sections.private_budget),
      filled: filledFlags,
    };
  }

  // --- The checks: coaching/checks.py -------------------------------------------------------
  function status(complete, ok) {
    if (!complete) return "incomplete";
    return ok ? "ok" : "attention";
  }

  function checks(f) {
    const fin = f.financing;
    const household = f.private_budget.withdrawals_per_year;
    const years = f.operating.map(function (y) {
      const available = y.net_profit + y.depreciation;
      const needed = fin.repayment[y.year - 1] + household;
      return {
        year: y.year, available: available, needed: needed,
        short: Math.max(needed - available, 0), spare: Math.max(available - needed, 0),
        enough: available >= needed,
      };
    });
    const maxLoan = amounts.readField(limits.max_loan_amount, "amount").value || 0;
    const minimum = Number(limits.min_own_funds_percent);
    const difference = fin.total - f.investment.total;
    const ownShort = minimum * fin.total - 100 * fin.own_funds;
    return {
      balance: {
        status: status(f.filled.investment || f.filled.financing, difference === 0),
        investment: f.investment.total, financing: fin.total, difference: difference,
        gap: Math.abs(difference), financing_lower: difference < 0, financing_higher: difference > 0,
      },
      own_funds: {
        status: status(fin.total > 0, fin.own_funds * 100 >= minimum * fin.total),
        own_funds: fin.own_funds,
        percent: fin.total ? Math.round((fin.own_funds * 1000) / fin.total) / 10 : null,
        short: ownShort > 0 ? Math.ceil(ownShort / 100) : 0,
      },
      withdrawals: {
        status: status(
          f.filled.operating && f.filled.private_budget,
          years.every(function (y) { return y.enough; })
        ),
        years: years,
      },
      liquidity: {
        status: status(f.filled.cashflow, f.cashflow.first_negative === null),
        lowest: f.cashflow.lowest.closing,
        lowest_month: f.cashflow.lowest.number,
        first_negative_month: f.cashflow.first_negative ? f.cashflow.first_negative.number : null,
        shortfall: Math.max(-f.cashflow.lowest.closing, 0),
      },
      loan: {
        status: status(f.filled.financing, fin.qredits <= maxLoan),
        requested: fin.qredits,
        over: Math.max(fin.qredits - maxLoan, 0),
      },
    };
  }

  // --- Showing them: Dutch notation, like the server's templates ----------------------------
  function formatEuro(value) {
    const negative = value < 0;
    const abs = Math.abs(value);
    const euros = Math.floor(abs / 100).toString().replace(/\B(?=(\d{3})+(?!\d))/g, ".");
    const rest = String(abs % 100).padStart(2, "0");
    // A no-break space, as the server's: a line never ends in a lone "€".
    return "€\u00a0" + (negative ? "-" : "") + euros + "," + rest;
  }

  function formatPercent(value) {
    return value === null ? "–" : value.toFixed(1).replace(".", ",") + "%";
  }

  function totals(f) {
    const map = {
      "investment.fixed_assets": f.investment.fixed_assets,
      "investment.total": f.investment.total,
      "financing.total": f.financing.total,
      "cashflow.receipts": f.cashflow.receipts,
      "cashflow.payments": f.cashflow.payments,
      "cashflow.interest": f.cashflow.interest,
      "cashflow.repayment": f.cashflow.repayment,
      "private_budget.costs": f.private_budget.costs,
      "private_budget.income": f.private_budget.income,
      "private_budget.withdrawals": f.private_budget.withdrawals,
      "private_budget.withdrawals_per_year": f.private_budget.withdrawals_per_year,
    };
    [0, 1, 2].forEach(function (i) {
      map["investment.depreciation." + i] = f.investment.depreciation[i];
      map["financing.interest." + i] = f.financing.interest[i];
      map["financing.repayment." + i] = f.financing.repayment[i];
      f.financing.loans.forEach(function (l) {
        map["financing.loans." + l.key + ".interest." + i] = l.interest[i];
        map["financing.loans." + l.key + ".repayment." + i] = l.repayment[i];
      });
      ["gross_margin", "startup_costs", "depreciation", "interest", "costs", "result_before_tax",
        "net_profit"].forEach(function (row) { map["operating." + row + "." + i] = f.operating[i][row]; });
    });
    f.financing.loans.forEach(function (l) {
      map["financing.loans." + l.key + ".regular_payment"] = l.regular_payment;
    });
    f.cashflow.months.forEach(function (m, i) {
      map["cashflow.opening." + i] = m.opening;
      map["cashflow.interest." + i] = m.interest;
      map["cashflow.repayment." + i] = m.repayment;
      map["cashflow.closing." + i] = m.closing;
    });
    return map;
  }

  // --- Repayment schedules: templates/coaching/sections/_loan_schedule.html -----------------
  const schedules = document.querySelector("[data-loan-schedules]");

  function monthLabel(number) {
    const start = schedules.dataset.start;
    if (!start) return "";
    const names = schedules.dataset.monthNames.split(",");
    const parts = start.split("-");
    const index = Number(parts[0]) * 12 + Number(parts[1]) - 1 + number - 1;
    return names[index % 12] + " " + Math.floor(index / 12);
  }

  function cell(row, tag, text, attributes) {
    const element = document.createElement(tag);
    element.textContent = text;
    Object.keys(attributes || {}).forEach(function (name) { element.setAttribute(name, attributes[name]); });
    row.appendChild(element);
    return element;
  }

  function amountCells(row, item) {
    [item.payment, item.interest, item.repayment, item.balance].forEach(function (value) {
      cell(row, "td", formatEuro(value), { class: "text-end" });
    });
  }

  function scheduleTables(details, item) {
    const words = schedules.dataset.words.split("|");
    const fragment = document.createDocumentFragment();
    item.years.forEach(function (year) {
      const table = document.createElement("table");
      table.className = "table table-sm budget-table schedule-table";
      const first = monthLabel(year.months[0].number);
      const last = monthLabel(year.months[year.months.length - 1].number);
      const caption = details.dataset.caption.replace("§", String(year.year)) +
        (first ? " (" + first + " – " + last + ")" : "");
      cell(table, "caption", caption);
      const headRow = document.createElement("tr");
      words.forEach(function (word, index) {
        cell(headRow, "th", word, index ? { scope: "col", class: "text-end" } : { scope: "col" });
      });
      table.appendChild(document.createElement("thead")).appendChild(headRow);
      const body = table.appendChild(document.createElement("tbody"));
      year.months.forEach(function (month) {
        const row = body.appendChild(document.createElement("tr"));
        const label = monthLabel(month.number);
        cell(row, "th", String(month.number) + (label ? " (" + label + ")" : ""), {
          scope: "row", class: "fw-normal",
        });
        amountCells(row, month);
      });
      const footRow = table.appendChild(document.createElement("tfoot")).appendChild(document.createElement("tr"));
      footRow.className = "budget-total";
      cell(footRow, "th", details.dataset.totalLabel.replace("§", String(year.year)), { scope: "row" });
      amountCells(footRow, year);
      fragment.appendChild(table);
    });
    return fragment;
  }

  function renderSchedules(f) {
    if (!schedules) return;
    let any = false;
    f.financing.loans.forEach(function (item) {
      const details = schedules.querySelector('[data-loan-schedule="' + item.key + '"]');
      form.querySelectorAll('[data-loan-row="' + item.key + '"]').forEach(function (row) {
        row.hidden = item.schedule.length === 0;
      });
      if (!details) return;
      details.hidden = item.schedule.length === 0;
      any = any || item.schedule.length > 0;
      // Rebuild only when the loan changed: typing elsewhere leaves the tables alone.
      const signature = [item.amount, item.rate, item.months, item.free, item.kind].join("|");
      if (details.dataset.signature === signature) return;
      details.dataset.signature = signature;
      const body = details.querySelector("[data-schedule-body]");
      body.replaceChildren(scheduleTables(details, item));
    });
    schedules.hidden = !any;
  }

  // --- Putting it on the page ---------------------------------------------------------------
  function render() {
    const sections = {};
    Object.keys(saved).forEach(function (key) { sections[key] = saved[key] || {}; });
    sections[sectionKey] = typedSection();
    const f = figures(sections);
    const map = totals(f);
    form.querySelectorAll("output[data-total]").forEach(function (output) {
      const value = map[output.dataset.total];
      if (value === undefined) return;
      output.textContent = formatEuro(value);
      output.classList.toggle("is-negative", value < 0);
    });
    form.querySelectorAll("tr[data-row]").forEach(function (row) {
      const amount = row.querySelector("input.amount");
      const years = row.querySelector("input.years");
      const output = row.querySelector("[data-row-depreciation]");
      if (!amount || !years || !output) return;
      const a = amounts.readField(amount.value, "amount");
      const y = whole(years.value);
      output.textContent = !a.error && a.value && y ? formatEuro(divideRound(a.value, y)) : "";
    });
    renderSchedules(f);
    renderChecks(checks(f));
  }

  function figureOf(result, path) {
    return path.reduce(function (value, part) {
      return value === null || value === undefined ? value : value[part];
    }, result);
  }

  function renderChecks(results) {
    const panel = document.querySelector("[data-live-checks]");
    if (!panel) return;
    const words = {
      ok: panel.dataset.statusOk,
      attention: panel.dataset.statusAttention,
      incomplete: panel.dataset.statusIncomplete,
    };
    Object.keys(results).forEach(function (key) {
      const result = results[key];
      const item = panel.querySelector('[data-check="' + key + '"]');
      if (!item) return;
      item.className = "plan-check check-" + result.status;
      item.querySelector("[data-check-status]").textContent = words[result.status];
      const needs = item.querySelector("[data-check-needs]");
      const shown = item.querySelector("[data-check-figures]");
      if (needs) needs.hidden = result.status !== "incomplete";
      if (shown) shown.hidden = result.status === "incomplete";
      item.querySelectorAll("[data-check-figure]").forEach(function (span) {
        const path = span.dataset.checkFigure.split(".").slice(1);
        const name = path[path.length - 1];
        const value = figureOf(result, path);
        if (name === "percent") span.textContent = formatPercent(value);
        else if (/month|year/.test(name)) span.textContent = value === null ? "" : String(value);
        else span.textContent = formatEuro(value);
      });
      item.querySelectorAll("[data-check-when]").forEach(function (span) {
        span.hidden = !figureOf(result, span.dataset.checkWhen.split(".").slice(1));
      });
    });
  }

  let pending = false;
  form.addEventListener("input", function () {
    if (pending) return;
    pending = true;
    window.requestAnimationFrame(function () {
      pending = false;
      render();
    });
  });
  render();
  window.OndernemerspuntPlanBudgets = {
    figures: figures, checks: checks, loanSchedule: loanSchedule, formatEuro: formatEuro,
  };
})();
